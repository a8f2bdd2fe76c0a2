import { describe, expect, it } from 'vitest';
import { apiTokenLabelWithArticle } from './provider-wording.ts';
import { getScmProvider } from './scm-provider-catalogue.ts';

describe('apiTokenLabelWithArticle', () => {
  it('reads an initialism letter by letter, other words by their first letter', () => {
    expect(apiTokenLabelWithArticle(getScmProvider('bitbucket'))).toBe('an API token');
    expect(apiTokenLabelWithArticle(getScmProvider('bitbucket-data-center'))).toBe('an HTTP access token');
    expect(apiTokenLabelWithArticle(getScmProvider('github'))).toBe('a personal access token');
  });
});

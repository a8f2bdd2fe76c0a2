import type { ScmProviderId } from '@runner-console/contracts';
import { classifyProviderHost, getScmProvider } from '@runner-console/scm-providers';
import { useState } from 'react';
import { TextField } from '../../../components/ui/text-field.tsx';

/**
 * "Using Bitbucket Data Center?": for providers whose host is fixed, a place to try one's own URL
 * and be told plainly whether it works, rather than discovering it at Save.
 */
export function SelfHostedCheck({ providerId }: { providerId: ScmProviderId }) {
  const provider = getScmProvider(providerId);
  const [url, setUrl] = useState('');
  if (provider.hostEditable) return null;

  const trimmed = url.trim();
  const result = trimmed ? classifyProviderHost(providerId, trimmed) : null;
  const message = !result
    ? ''
    : result.ok
      ? `That is ${provider.name} Cloud: ${provider.defaultHost} above is the right host.`
      : result.message;

  return (
    <details className="disclosure">
      <summary>Using {provider.name} Data Center?</summary>
      <div className="disclosure__body">
        <TextField
          label={`Your ${provider.name} URL`}
          hint={`For example https://${provider.name.toLowerCase()}.example.com`}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          // Enter here checks the URL; it must not submit the integration form around it.
          onKeyDown={(event) => {
            if (event.key === 'Enter') event.preventDefault();
          }}
        />
        <p
          className={
            result && !result.ok
              ? 'disclosure__result disclosure__result--no'
              : 'disclosure__result'
          }
          role="status"
        >
          {message}
        </p>
      </div>
    </details>
  );
}

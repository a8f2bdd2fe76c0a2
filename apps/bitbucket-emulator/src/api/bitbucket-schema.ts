import type { components } from '@coderabbitai/bitbucket/cloud/openapi';

/**
 * The emulator's JSON answers are typed from Atlassian's published OpenAPI description of the
 * REST API 2.0 (https://dac-static.atlassian.com/cloud/bitbucket/swagger.v3.json), as generated
 * by openapi-typescript in `@coderabbitai/bitbucket`.
 *
 * Atlassian's schemas allow any extra property (`additionalProperties`), so on their own they
 * would accept a misspelt or invented field. `Strict` drops those index signatures, all the way
 * down, so a field that Atlassian's schema lacks or names differently fails the typecheck.
 */
type Schemas = components['schemas'];

type KnownKeys<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/**
 * Atlassian's description builds subtypes with `allOf` (a user is an account, a commit is a
 * base commit). openapi-typescript renders that as `Omit<Base, "type">`, which, over a schema
 * with an index signature, keeps none of the base's fields. So the inheritance is restated here,
 * from the description's `allOf`s.
 */
interface BaseOf {
  user: 'account';
  team: 'account';
  app_user: 'account';
  commit: 'base_commit';
}

type SchemaName = keyof Schemas;

/** A named schema with the fields it inherits, strictly. */
export type StrictSchema<N extends SchemaName> = N extends keyof BaseOf
  ? StrictObject<Schemas[N]> & Omit<StrictSchema<BaseOf[N]>, 'type'>
  : StrictObject<Schemas[N]>;

/**
 * A reference to a base type pins `type` to the base's name, but Bitbucket sends the subtype
 * there (`"type": "user"` for a pull request's author, `"type": "commit"` for a parent): such a
 * reference accepts the subtypes.
 */
type Polymorphic<T> = T extends { readonly type: 'account' }
  ? StrictSchema<'user'> | StrictSchema<'team'> | StrictSchema<'account'>
  : T extends { readonly type: 'user' }
    ? StrictSchema<'user'>
    : T extends { readonly type: 'team' }
      ? StrictSchema<'team'>
      : T extends { readonly type: 'base_commit' }
        ? StrictSchema<'commit'> | StrictSchema<'base_commit'>
        : T extends { readonly type: 'commit' }
          ? StrictSchema<'commit'>
          : StrictObject<T>;

type StrictObject<T> = { [K in keyof KnownKeys<T>]: Strict<KnownKeys<T>[K]> };

export type Strict<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? readonly Strict<Item>[]
    : T extends object
      ? Polymorphic<T>
      : T;

export type BitbucketUser = StrictSchema<'user'>;
export type BitbucketRepository = StrictSchema<'repository'>;
export type BitbucketWorkspace = StrictSchema<'workspace'>;
export type BitbucketCommit = StrictSchema<'commit'>;
export type BitbucketBranch = StrictSchema<'branch'>;
export type BitbucketPullRequest = StrictSchema<'pullrequest'>;
export type BitbucketError = StrictSchema<'error'>;
export type BitbucketPage<Item> = Strict<Omit<Schemas['paginated_branches'], 'values'>> & {
  readonly values: readonly Item[];
};

/**
 * An entry of `GET /2.0/user/emails`. Atlassian's description documents no answer for that path,
 * so this one shape is written by hand, from the answers bitbucket.org gives.
 */
export interface BitbucketEmail {
  readonly type: 'email';
  readonly email: string;
  readonly is_primary: boolean;
  readonly is_confirmed: boolean;
  readonly links: { readonly self: { readonly href: string } };
}

// The one public entry of @runner-console/emulator-kit: what every provider emulator shares.
export { Clock } from './clock.ts';
export { CallCounts } from './call-counts.ts';
export {
  FAULT_ENDPOINTS,
  FaultInjector,
  plainRateLimitResponder,
  type FailureResponder,
  type FaultEndpoint,
  type FaultRule,
  type FaultTarget,
  type RateLimitResponder,
  type RateLimitSettings,
} from './faults/fault-injector.ts';
export { parseCgiHead, type CgiHead } from './git/cgi-response.ts';
export { GitCommandError, gitEnvironment, runGit, runGitSync, type GitOptions } from './git/git-cli.ts';
export { serveWithHttpBackend, type HttpBackendCall } from './git/git-http-backend.ts';
export { GitReader, type BranchHead, type CommitInfo, type TagRef } from './git/git-reader.ts';
export {
  seedBareRepository,
  type SeedAuthor,
  type SeedBranch,
  type SeedCommit,
  type SeedTag,
} from './git/seed-repository.ts';
export {
  AuthorizationCodes,
  CODE_LIFETIME_MS,
  type CodeRedemption,
  type CodeRefusal,
  type NewCode,
} from './oauth/authorization-codes.ts';
export { readBasicCredentials, type BasicCredentials } from './oauth/basic-credentials.ts';
export {
  constantTimeEquals,
  generateAccessTokenValue,
  generateAlphanumeric,
  generatePrefixedToken,
  hashOpaqueToken,
} from './oauth/opaque-token.ts';
export { isCodeChallenge, s256Challenge, verifyCodeVerifier } from './oauth/pkce.ts';
export { RotatingRefreshTokens, type RefreshRefusal, type StoredRefreshToken } from './oauth/rotating-refresh-tokens.ts';
export { readJsonFile, writeJsonFileAtomically } from './json-file.ts';
export {
  createTestApiRouter,
  faultSchema,
  sendTestApiError,
  sendValidationError,
  type TestApiBase,
} from './test-api/test-api-base.ts';
export { renderConsentPage, renderMessagePage, type ConsentPageOptions } from './ui/consent-page.ts';
export { escapeHtml, html, SafeHtml, type HtmlValue } from './ui/html-template.ts';
export { createKitAssetsRouter } from './ui/kit-assets-router.ts';
export { MemorySessions, type MemorySession } from './ui/memory-sessions.ts';
export { KIT_STYLESHEET_PATH, renderPageFrame, type PageBrand, type PageFrameOptions } from './ui/page-frame.ts';
export { sendPage, setPageSecurityHeaders } from './ui/send-page.ts';
export { renderSignInPage, type SignInPageOptions } from './ui/sign-in-page.ts';
export { ConfigError, createEmulatorConfigLoader, type EmulatorConfig } from './emulator-config.ts';
export { runEmulatorProcess, type ServedEmulator } from './emulator-process.ts';
export { createEmulatorApp } from './emulator-app.ts';

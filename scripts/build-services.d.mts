// Types for scripts/build-services.mjs, which the TypeScript harnesses (test-support, bench) import.
export declare const repoRoot: string;
export type ServiceName = 'bitbucket-emulator' | 'bff' | 'runner';
export declare const services: Record<ServiceName, { entry: string; bundle: string; selfContained?: boolean }>;
/** The installable runner file (apps/runner/dist/runner.mjs): what /downloads/runner.mjs serves. */
export declare const runnerBundle: string;
export declare function buildServicesIfStale(names?: ServiceName[]): Promise<void>;
export declare function serviceCommand(name: ServiceName): string[];

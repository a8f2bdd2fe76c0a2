// @runner-console/emulator-kit/testing: helpers for the emulators' own tests.
export * from './browser-client.ts';
export * from './in-process-emulator.ts';

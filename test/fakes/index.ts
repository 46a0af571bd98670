// Tests import the fake Lark from here; it lives in src/fake-lark because the emulator serves it too.
export * from '../../src/fake-lark/index.js';

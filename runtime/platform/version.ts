/** The runtime's version, sent as `X-EXC-SDK-Version`. A test keeps it equal to package.json's. */
export const RUNTIME_VERSION = "0.1.0";

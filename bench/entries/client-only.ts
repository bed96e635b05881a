// What an application that replaces @adobe/target-nodejs-sdk with mboxgen's client imports.
export { createTargetClient } from "../../runtime/index.js";

export * from "./cli.ts";
export { freePort } from "./net.ts";

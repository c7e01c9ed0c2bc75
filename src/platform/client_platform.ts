/**
 * This OS as OpenClaw clients report it in `client.platform` / `client.deviceFamily`
 * (darwin → macos/Mac, win32 → windows/Windows, else linux/Linux; `src/gateway/client.ts`
 * upstream). `system.*` node commands pass the gateway's platform allowlist only with these.
 * @module
 */

/** `{platform, deviceFamily}` for the running OS. */
export function clientPlatform(): { platform: string; deviceFamily: string } {
  switch (Deno.build.os) {
    case "darwin":
      return { platform: "macos", deviceFamily: "Mac" };
    case "windows":
      return { platform: "windows", deviceFamily: "Windows" };
    default:
      return { platform: "linux", deviceFamily: "Linux" };
  }
}

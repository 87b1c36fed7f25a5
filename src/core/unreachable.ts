/** Ends an exhaustive `switch`: adding a member to a union breaks the build here until it is handled. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

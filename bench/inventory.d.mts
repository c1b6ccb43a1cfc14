// Types of bench/inventory.mjs for the TypeScript tests that import it.
export function muleJobConfXml(opts: { workers?: number; handlers: number; toolLines: readonly string[] }): string;
export function makeInventory(dir: string, hosts: number): { bytes: number; files: number };

/**
 * Column of an offset: characters since the start of its line, 0-based. Block indentation of an
 * ansible vars file is compared in these (a key's column against its children's).
 */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

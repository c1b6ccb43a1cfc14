import { isScalar, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';

/**
 * The pair of a mapping whose key reads as `key`, the last one when it is repeated: PyYAML (which
 * Galaxy, Gravity and ansible read with) keeps the last value of a repeated key, and the readers keep
 * every pair (`uniqueKeys: false`), so this is the one that counts.
 */
export function lastPair(map: YAMLMap, key: string): Pair<YamlNode, YamlNode | null> | undefined {
  let found: Pair<YamlNode, YamlNode | null> | undefined;
  for (const p of map.items as Pair<YamlNode, YamlNode | null>[]) if (isScalar(p.key) && String(p.key.value) === key) found = p;
  return found;
}

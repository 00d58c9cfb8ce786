import { generateFixture } from '../../bench/fixture-generator.ts';
import type { FixtureCounts, GenerateFixtureOptions } from '../../bench/fixture-generator.ts';

/** Generates a fixture into memory (fine for the few thousand contacts a unit test uses). */
export async function generateText(
  options: GenerateFixtureOptions,
): Promise<{ text: string; counts: FixtureCounts; chunks: number }> {
  const chunks: string[] = [];
  const counts = await generateFixture(options, (chunk) => {
    chunks.push(chunk);
  });
  return { text: chunks.join(''), counts, chunks: chunks.length };
}

import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints `source` as if it were a file at `asFile` (an existing file, so type-aware rules can run). */
export async function lint(source: string, asFile: string): Promise<LintMessage[]> {
  const eslint = path.join(root, 'node_modules', '.bin', 'eslint');
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(eslint, ['--stdin', '--stdin-filename', asFile, '-f', 'json'], { cwd: root });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(source);
  });
  const [result] = JSON.parse(stdout) as { messages: LintMessage[] }[];
  return result?.messages ?? [];
}

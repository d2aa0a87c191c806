import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { airqCommands, airqOptions } from '../cli/airq';

/**
 * No Jenkins runs where these tests run, so the Jenkinsfile is checked statically: every command its `sh`
 * steps run must exist in the project (npm scripts, files, installed binaries, `airq` commands and flags),
 * and the stages must come in the order of the pipeline.
 */

const repoRoot = path.resolve(__dirname, '..');
const jenkinsfile = readFileSync(path.join(repoRoot, 'Jenkinsfile'), 'utf8');

/** The scripts of every `sh` step: `sh '…'`, `sh "…"`, `sh '''…'''`, `sh """…"""`, `sh(script: '…', …)`. */
function shScripts(groovy: string): string[] {
  const code = groovy
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  const step = /\bsh\s*(?:\((?:[^()'"]*?\bscript\s*:\s*)?)?('''|"""|'|")/g;
  const scripts: string[] = [];
  for (let m = step.exec(code); m; m = step.exec(code)) {
    const quote = m[1] ?? '';
    const start = m.index + m[0].length;
    let end = code.indexOf(quote, start);
    while (quote.length === 1 && end > 0 && code[end - 1] === '\\') end = code.indexOf(quote, end + 1);
    if (end < 0) throw new Error(`unterminated sh string at offset ${m.index}`);
    // Groovy's escapes (\" \' \\ \$) are gone by the time the shell reads the script.
    scripts.push(code.slice(start, end).replace(/\\(["'\\$])/g, '$1'));
    step.lastIndex = end + quote.length;
  }
  // A step written some other way (a variable, a GString built elsewhere) would go unchecked: refuse it.
  const steps = code.match(/\bsh\s*[('"]/g)?.length ?? 0;
  if (steps !== scripts.length) throw new Error(`read ${scripts.length} of ${steps} sh steps: write each as a literal`);
  return scripts;
}

/**
 * The simple commands of a script, as word lists: quotes removed, split at `&&`, `||`, `;`, `|`, `&` and
 * new lines, redirections (`> file`, `2>&1`, `< /dev/null`) and `# comments` left out.
 */
function simpleCommands(script: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  let redirectTarget = false;
  const flush = () => {
    if (word !== undefined && !redirectTarget) commands.at(-1)?.push(word);
    if (word !== undefined) redirectTarget = false;
    word = undefined;
  };
  const text = script.replace(/\\\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '#' && word === undefined) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
    } else if (c === '>' || c === '<') {
      if (word !== undefined && /^\d+$/.test(word)) word = undefined;
      flush();
      const fd = /^[<>]{1,2}(&\d+)?/.exec(text.slice(i))?.[0] ?? c;
      i += fd.length - 1;
      redirectTarget = !fd.includes('&');
    } else if (/[\s;&|]/.test(c)) {
      flush();
      if (c !== ' ' && c !== '\t') commands.push([]);
    } else {
      word = (word ?? '') + c;
    }
  }
  flush();
  return commands.filter((words) => words.length > 0);
}

interface Project {
  scripts: Record<string, string>;
  fileExists: (file: string) => boolean;
  binExists: (name: string) => boolean;
  packageBins: string[];
}

/** Shell built-ins and system tools the Jenkinsfile may use besides the project's own commands. */
const systemCommands = new Set(['echo', 'export', 'true', 'test', 'mkdir', 'rm', 'cat']);
/** Prefixes that run the rest of the line as the command. */
const wrappers = new Set(['setsid', 'nohup', 'exec', 'env']);
/** npm commands that are not scripts. */
const npmBuiltins = new Set(['ci', 'install', 'audit']);

/** Why each command would not run in this project; empty when they all would. */
function commandProblems(commands: string[][], project: Project): string[] {
  const problems: string[] = [];
  const airq = (args: string[], shown: string) => {
    const sub = args.find((a) => !a.startsWith('-'));
    if (!sub || !(airqCommands as readonly string[]).includes(sub)) {
      problems.push(`${shown}: airq has no command "${sub ?? ''}" (it has ${airqCommands.join(', ')})`);
    }
    for (const flag of args.filter((a) => a.startsWith('--'))) {
      const name = flag.slice(2).split('=')[0] ?? '';
      if (!Object.hasOwn(airqOptions, name)) problems.push(`${shown}: airq has no option --${name}`);
    }
  };
  const projectFile = (file: string | undefined, args: string[], shown: string) => {
    if (!file || !project.fileExists(file)) problems.push(`${shown}: no file ${file ?? '(none)'}`);
    else if (path.normalize(file) === path.normalize('cli/airq.ts')) airq(args, shown);
  };
  for (const command of commands) {
    const words = [...command];
    while (words[0] && (wrappers.has(words[0]) || /^[A-Za-z_]\w*=/.test(words[0]))) words.shift();
    const [program, ...args] = words;
    const shown = words.join(' ');
    if (program === undefined || systemCommands.has(program)) continue;
    if (program === 'npm') {
      const [verb, name, ...rest] = args.filter((a) => a !== '--silent' && a !== '-s');
      if (verb === 'run' || verb === 'run-script') {
        const separator = rest.indexOf('--');
        if (!name || !Object.hasOwn(project.scripts, name)) {
          problems.push(`${shown}: package.json has no script "${name ?? ''}"`);
        } else if (rest.slice(0, separator < 0 ? undefined : separator).some((a) => a.startsWith('-'))) {
          problems.push(`${shown}: options before "--" are npm's, not the script's`);
        } else if (name === 'airq') {
          airq(rest.slice(separator + 1), shown);
        }
      } else if (!verb || (!npmBuiltins.has(verb) && !Object.hasOwn(project.scripts, verb))) {
        problems.push(`${shown}: package.json has no script "${verb ?? ''}"`);
      }
    } else if (program === 'npx') {
      const [bin, ...rest] = args.filter((a) => a !== '--no-install');
      if (bin === 'tsx') projectFile(rest[0], rest.slice(1), shown);
      else if (bin === 'airq' && project.packageBins.includes('airq')) airq(rest, shown);
      else if (!bin || !project.binExists(bin)) problems.push(`${shown}: no installed binary "${bin ?? ''}"`);
    } else if (program === 'node') {
      const file = args.find(
        (a, i) => !a.startsWith('-') && !['--import', '-r', '--require'].includes(args[i - 1] ?? ''),
      );
      projectFile(file, args.slice(args.indexOf(file ?? '') + 1), shown);
    } else {
      problems.push(`${shown}: unknown program "${program}" (not a project command nor an expected system tool)`);
    }
  }
  return problems;
}

const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin?: Record<string, string>;
};
const project: Project = {
  scripts: packageJson.scripts,
  fileExists: (file) => existsSync(path.join(repoRoot, file)),
  binExists: (name) => existsSync(path.join(repoRoot, 'node_modules', '.bin', name)),
  packageBins: Object.keys(packageJson.bin ?? {}),
};

describe('Jenkinsfile', () => {
  const commands = shScripts(jenkinsfile).flatMap(simpleCommands);

  it('when its sh steps are read, then every command they run exists in the project', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commandProblems(commands, project)).toEqual([]);
  });

  it('when its stages are listed, then the pipeline runs Install through Smoke in order', () => {
    const expected = ['Install', 'Lint/Typecheck', 'Security', 'Unit', 'Integration', 'Train', 'Approve', 'Smoke'];
    const stages = [...jenkinsfile.matchAll(/\bstage\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? '');

    expect(stages.filter((name) => expected.includes(name))).toEqual(expected);
  });

  it('when it audits dependencies, then npm audit covers the production packages and pip-audit the pinned Python files', () => {
    const runs = commands.map((c) => c.join(' '));

    expect(runs).toContain('npm audit --omit=dev');
    expect(runs).toContain('npx tsx test/pip-audit.ts');
  });

  it('when it trains, approves and smoke-tests, then it does so through the airq commands', () => {
    const airqRuns = commands.map((c) => c.join(' ')).filter((c) => /\bairq\b/.test(c));

    for (const sub of ['backfill', 'train', 'approve', 'reject', 'smoke']) {
      expect(airqRuns.some((c) => c.includes(` ${sub} `))).toBe(true);
    }
  });
});

describe('the Jenkinsfile command checker', () => {
  const sample = `
    // sh 'npm run commented-out'
    stage('A') { steps { sh 'npm run lint' } }
    sh "npx tsx cli/airq.ts smoke --expect-version \\"$V\\""
    sh(returnStatus: true, script: 'node stack/bootstrap.mjs')
    sh '''
      export JENKINS_NODE_COOKIE=dontKillMe
      setsid npm run api < /dev/null > "$DIR/api.log" 2>&1 &
      echo $! > "$DIR/api.pid" && FOO=1 npm run airq -- approve "$ID" --approver "$USER" # a comment
    '''
  `;

  it('when sh steps come in every quoting, then it finds each command and skips comments and redirections', () => {
    expect(shScripts(sample).flatMap(simpleCommands)).toEqual([
      ['npm', 'run', 'lint'],
      ['npx', 'tsx', 'cli/airq.ts', 'smoke', '--expect-version', '$V'],
      ['node', 'stack/bootstrap.mjs'],
      ['export', 'JENKINS_NODE_COOKIE=dontKillMe'],
      ['setsid', 'npm', 'run', 'api'],
      ['echo', '$!'],
      ['FOO=1', 'npm', 'run', 'airq', '--', 'approve', '$ID', '--approver', '$USER'],
    ]);
  });

  it('when an sh step is not a string literal, then it refuses to guess', () => {
    expect(() => shScripts(`sh 'npm run lint'\nsh(command)`)).toThrow('read 1 of 2 sh steps');
  });

  it('when a command names what the project lacks, then each one is reported', () => {
    const typos = shScripts(`
      sh 'npm run lnit'
      sh 'npx tsx cli/airq.ts smoek --expect-version 3'
      sh 'npm run airq -- approve "$ID" --aprover me'
      sh 'npm run airq train --json'
      sh 'node stack/bootstrap.js'
      sh 'npx jset'
      sh 'nmp test'
    `).flatMap(simpleCommands);

    expect(commandProblems(typos, project)).toEqual([
      'npm run lnit: package.json has no script "lnit"',
      expect.stringContaining('airq has no command "smoek"'),
      expect.stringContaining('airq has no option --aprover'),
      'npm run airq train --json: options before "--" are npm\'s, not the script\'s',
      'node stack/bootstrap.js: no file stack/bootstrap.js',
      'npx jset: no installed binary "jset"',
      expect.stringContaining('unknown program "nmp"'),
    ]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';
import { parse } from 'yaml';

import { kafkaTopics } from '../core/topics';

/**
 * No Docker engine runs where these tests run, so docker-compose.yml is checked statically: against the
 * Compose Specification's JSON schema, for the project's own rules (pinned images, healthchecks, known
 * dependencies), and against the service list the README promises.
 */

const repoRoot = path.resolve(__dirname, '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');
const readmeFile = path.join(repoRoot, 'README.md');
const composeSchemaFile = path.join(__dirname, 'fixtures', 'schemas', 'compose-spec.json');
const servicesHeading = '### docker-compose services';

interface ComposeService {
  image?: string;
  command?: string | string[];
  build?: unknown;
  restart?: string;
  healthcheck?: { test?: string | string[]; disable?: boolean | string };
  depends_on?: string[] | Record<string, unknown>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Reads the compose file as docker compose does, resolving `<<` merges of the x- anchors. */
function loadCompose(): ComposeFile {
  return parse(readFileSync(composeFile, 'utf8'), { merge: true }) as ComposeFile;
}

/** One-shot jobs run to completion; everything else is expected to stay up. */
function isOneShot(service: ComposeService): boolean {
  return service.restart === 'no' || (service.restart ?? '').startsWith('on-failure');
}

function dependencyNames(service: ComposeService): string[] {
  const dependsOn = service.depends_on ?? [];
  return Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn);
}

/** The tag of an image reference (registry ports and digests aside), or undefined when it has none. */
function tagOf(image: string): string | undefined {
  const lastSegment = image.split('@')[0]?.split('/').pop() ?? '';
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

/** Why an image reference is not pinned to an exact version, or undefined when it is. */
function unpinnedReason(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const tag = tagOf(image);
  if (tag === undefined) return 'has no tag';
  if (tag.includes('latest')) return `uses the floating tag "${tag}"`;
  if (!/\d+\.\d+/.test(tag)) return `tag "${tag}" names no exact version`;
  return undefined;
}

/**
 * The backticked names in the first column of the first table after the `### docker-compose services`
 * heading; undefined when the heading is missing.
 */
function serviceNamesDocumentedIn(markdown: string): string[] | undefined {
  const lines = markdown.split(/\r?\n/);
  const headingAt = lines.findIndex((line) => line.trimEnd() === servicesHeading);
  if (headingAt === -1) return undefined;
  const afterHeading = lines.slice(headingAt + 1);
  const tableStart = afterHeading.findIndex((line) => line.trimStart().startsWith('|') || line.startsWith('#'));
  if (tableStart === -1 || afterHeading[tableStart]?.startsWith('#')) return [];
  const tableEnd = afterHeading.findIndex((line, i) => i > tableStart && !line.trimStart().startsWith('|'));
  const rows = afterHeading.slice(tableStart, tableEnd === -1 ? undefined : tableEnd);
  return rows
    .map((row) => row.split('|')[1]?.trim() ?? '')
    .map((firstCell) => /^`([^`]+)`$/.exec(firstCell)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('docker-compose.yml', () => {
  it('when validated against the Compose Specification schema, then it has no errors', () => {
    // The schema names draft-07 by an https URL that Ajv's bundled draft-07 meta-schema (http) does not
    // match; dropping $schema lets Ajv use draft-07, its default, instead of failing to resolve it.
    const { $schema: _dialect, ...composeSchema } = JSON.parse(readFileSync(composeSchemaFile, 'utf8')) as Record<
      string,
      unknown
    >;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSchema);

    const valid = validate(loadCompose());

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('when an image is pulled, then it is pinned to an exact version tag', () => {
    const { services } = loadCompose();

    const unpinned = Object.entries(services).flatMap(([name, service]) => {
      if (service.image === undefined) return [`${name}: names no image`];
      // The project's own image is built by compose: its tag names that build, not a registry version.
      const reason =
        service.build === undefined ? unpinnedReason(service.image) : tagOf(service.image) ? undefined : 'has no tag';
      return reason === undefined ? [] : [`${name}: ${service.image} ${reason}`];
    });

    expect(unpinned).toEqual([]);
  });

  it('when a service runs for good rather than once, then it has a healthcheck', () => {
    const { services } = loadCompose();

    const unchecked = Object.entries(services)
      .filter(([, service]) => !isOneShot(service))
      .filter(([, service]) => service.healthcheck?.test === undefined || service.healthcheck.disable === true)
      .map(([name]) => name);

    expect(unchecked).toEqual([]);
  });

  it('when a service depends on another, then that service exists', () => {
    const { services } = loadCompose();

    const unknown = Object.entries(services).flatMap(([name, service]) =>
      dependencyNames(service)
        .filter((dependency) => !(dependency in services))
        .map((dependency) => `${name} -> ${dependency}`),
    );

    expect(unknown).toEqual([]);
  });

  it("when the kafka-topics job creates topics, then they are core/topics.ts's, with the same partitions", () => {
    const { services } = loadCompose();
    const command = [services['kafka-topics']?.command ?? []].flat().join('\n');

    const specs = /for spec in ([^;]+);/.exec(command)?.[1]?.trim().split(/\s+/) ?? [];

    expect(specs).toEqual(kafkaTopics.map((topic) => `${topic.name}:${topic.partitions}`));
  });

  it('when the README lists the compose services, then each one it names exists', () => {
    const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : '';
    const documented = serviceNamesDocumentedIn(readme);
    if (documented === undefined) {
      throw new Error(
        `README.md has no line "${servicesHeading}" followed by a table of services ` +
          '(the section is drafted in docs/compose-services.md)',
      );
    }
    const { services } = loadCompose();

    const missing = documented.filter((name) => !(name in services));

    expect(missing).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(10);
  });
});

describe('serviceNamesDocumentedIn', () => {
  it('when the section has prose and two tables, then only the first column of the first table counts', () => {
    const markdown = [
      '# Title',
      servicesHeading,
      'Some prose.',
      '',
      '| service | image |',
      '| --- | --- |',
      '| `postgres` | `postgres:17` |',
      '| `kafka` | `apache/kafka:4` |',
      '| project image | not a service |',
      '',
      '| `other-table` | x |',
    ].join('\n');

    const names = serviceNamesDocumentedIn(markdown);

    expect(names).toEqual(['postgres', 'kafka']);
  });

  it('when the heading is missing, then nothing is found', () => {
    const names = serviceNamesDocumentedIn('## docker-compose services\n| `postgres` |');

    expect(names).toBeUndefined();
  });
});

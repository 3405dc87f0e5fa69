/** `dist/tunables.json`: the tunable pages as data for tools (schema: src/core/schemas/export.ts). */
import { EXPORT_SCHEMA_VERSION, tunablesExport, type TunablesExport } from './schemas/export.ts';
import type { OpenBound } from './schemas/docs.ts';
import type { KernelUpstream, StatedOpenBound } from './schemas/tunable.ts';
import { byName, type TunableEntry } from './catalog.ts';
import { measuredKernels } from './kernels.ts';
import { pageUrl } from './paths.ts';
import type { TunableRecommendation } from './recommendations.ts';

/** The bound as the docs give it: a page id means nothing to a tool, which finds the bounding sysctl's page by its name. */
const exportedOpenBound = ({ written, sysctl, boot }: StatedOpenBound): OpenBound => ({ written, ...(sysctl && { sysctl }), ...(boot && { boot }) });

function exportedOpenBounds({ min, max }: NonNullable<KernelUpstream['openBounds']>): { min?: OpenBound; max?: OpenBound } {
  return { ...(min && { min: exportedOpenBound(min) }), ...(max && { max: exportedOpenBound(max) }) };
}

/** Builds and validates the export. Page URLs are site paths (`/sysctl/vm/swappiness/`): the site works under any base path. */
export function buildExport(entries: readonly TunableEntry[], recommendations: ReadonlyMap<string, readonly TunableRecommendation[]> = new Map()): TunablesExport {
  const sorted = [...entries].sort(byName);
  return tunablesExport.parse({
    schemaVersion: EXPORT_SCHEMA_VERSION,
    kernels: measuredKernels(sorted.map((entry) => entry.data)),
    tunables: sorted.map(({ id, data }) => ({
      name: data.title,
      kind: data.kind,
      path: data.path,
      url: pageUrl(id),
      subsystem: data.subsystem,
      writable: data.writable,
      summary: data.summary,
      status: data.status,
      namespace: data.namespace,
      module: data.module,
      type: data.upstream.type,
      range: data.upstream.range,
      documentedDefault: data.upstream.documentedDefault,
      docSource: data.upstream.docSource?.file ?? null,
      docOrigin: data.upstream.docSource?.origin ?? null,
      definedIn: data.upstream.definedIn && { file: data.upstream.definedIn.file, line: data.upstream.definedIn.line, kernel: data.upstream.definedIn.kernel },
      kernels: Object.fromEntries(
        Object.entries(data.kernels).map(([kernel, { default: value, defaultKind, defaultSource, mode, namespace, instanceNamespaces, module, shapes, scalesWith, rule, appearances, parameter, bootProbe, setAtBoot, upstream, accepted, acceptedNotMeasured }]) => [
          kernel,
          {
            default: value,
            defaultKind,
            ...(defaultSource && { defaultSource: { file: defaultSource.file, line: defaultSource.line } }),
            mode,
            namespace,
            ...(instanceNamespaces && { instanceNamespaces }),
            module,
            ...(shapes && { shapes }),
            ...(scalesWith && { scalesWith }),
            ...(rule && { rule }),
            ...(appearances && { appearances: appearances.map(({ path }) => path) }),
            ...(parameter && { parameter }),
            ...(bootProbe && { bootProbe: { word: bootProbe.word, moved: bootProbe.moved.map(({ title, from, to }) => ({ name: title, from, to })) } }),
            ...(setAtBoot && { setAtBoot: setAtBoot.map(({ title, word }) => ({ parameter: title, word })) }),
            ...(upstream && {
              type: upstream.type,
              ...(upstream.handler && { handler: upstream.handler }),
              range: upstream.range,
              ...(upstream.openBounds && { openBounds: exportedOpenBounds(upstream.openBounds) }),
              definedIn: upstream.definedIn && { file: upstream.definedIn.file, line: upstream.definedIn.line },
              documentedDefault: upstream.documentedDefault,
            }),
            ...(accepted && { accepted }),
            ...(acceptedNotMeasured && { acceptedNotMeasured }),
          },
        ]),
      ),
      ...(recommendations.has(id) && {
        recommendations: recommendations.get(id)!.map(({ source, profile, instance, comparison, value, via, condition, inheritedFrom }) => ({ source, profile, instance, comparison, value, via, condition, inheritedFrom })),
      }),
    })),
  });
}

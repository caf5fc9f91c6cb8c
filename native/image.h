// Drivers of the kernels outside the per-ISA table: the image warp behind the augmentation layers
// and the depthwise convolution. Plain loops the compiler vectorises; threaded over rows so
// results do not depend on the thread count. Arguments are validated by entries.h.
#pragma once

#include "kernels.h"

namespace mln {

// TensorFlow's ImageProjectiveTransformV3 on NHWC float images (see backend.ts affineTransform):
// transforms holds 8 floats per image; fill_mode is a FillMode, interpolation an Interpolation.
void affine_transform(const float* x, const float* transforms, long n, long h, long w, long c, int fill_mode,
                      int interpolation, float fill_value, float* y);

// Depthwise conv: w [kH, kW, inC, mult], g.outC = inC * mult, output channel ci * mult + m.
void depthwise_conv2d(const float* x, const float* w, const ConvGeom& g, float* y);
void depthwise_conv2d_backward_input(const float* dy, const float* w, const ConvGeom& g, float* dx);
void depthwise_conv2d_backward_filter(const float* x, const float* dy, const ConvGeom& g, float* dw);

}  // namespace mln

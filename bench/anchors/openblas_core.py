"""NumPy's anchors at their best on this CPU: imported before numpy by the BLAS-bound anchors.

Debian's OpenBLAS 0.3.21 does not recognise newer AVX-512 CPUs (Sapphire Rapids: it reports
"Core: Prescott") and falls back to its SSE3 kernels, several times slower than its SkylakeX ones.
On a CPU with AVX-512 (BW and VL, what those kernels use) the anchor therefore asks for SkylakeX,
as OpenBLAS picks on the CPUs it recognises; an OPENBLAS_CORETYPE set by the caller wins.
"""
import os


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


if not os.environ.get("OPENBLAS_CORETYPE") and {"avx512bw", "avx512vl"} <= _cpu_flags():
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"

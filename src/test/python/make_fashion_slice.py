"""Writes the Fashion-MNIST slice shipped under examples/data/fashion-mnist/ and the reference
values the IDX reader's tests compare against.

The slice: the first 2,000 training and the first 500 test images and labels of Fashion-MNIST
(Zalando Research, MIT licence), cut from the IDX files of Debian's dataset-fashion-mnist
package, re-written as gzipped IDX files. The reference (src/test/resources/reference/
fashion-slice.json) is read here independently of ntk4j, with gzip and struct: the shapes, the
first ten labels, the class counts, pixels of the first images and per-image pixel sums.

Usage: python3 src/test/python/make_fashion_slice.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import json
import os
import struct
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
OUT = "examples/data/fashion-mnist"
SLICE = {"train": 2000, "t10k": 500}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, type_, dims = struct.unpack(">HBB", data[:4])
    assert zero == 0 and type_ == 0x08, (path, zero, type_)
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return list(shape), data[4 + 4 * dims:]


def write_idx(path, shape, payload):
    header = struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(">" + "I" * len(shape), *shape)
    # mtime=0: the same bytes on every run
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(header + payload)


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = {}
    for part, n in SLICE.items():
        shape, pixels = read_idx(os.path.join(SRC, part + "-images-idx3-ubyte.gz"))
        lshape, labels = read_idx(os.path.join(SRC, part + "-labels-idx1-ubyte.gz"))
        w = shape[1] * shape[2]
        assert len(pixels) == shape[0] * w and len(labels) == lshape[0] == shape[0]
        write_idx(os.path.join(OUT, part + "-images-idx3-ubyte.gz"), [n, shape[1], shape[2]], pixels[:n * w])
        write_idx(os.path.join(OUT, part + "-labels-idx1-ubyte.gz"), [n], labels[:n])
        counts = [0] * 10
        for b in labels[:n]:
            counts[b] += 1
        ref[part] = {
            "shape": [n, shape[1], shape[2]],
            "first_labels": list(labels[:10]),
            "last_label": labels[n - 1],
            "class_counts": counts,
            # image 0, row 14 (0-based) of 28 pixels, and the whole last image's pixel sum
            "image0_row14": list(pixels[14 * 28:15 * 28]),
            "pixel_sums_first5": [sum(pixels[i * w:(i + 1) * w]) for i in range(5)],
            "pixel_sum_last": sum(pixels[(n - 1) * w:n * w]),
            "total_pixel_sum": sum(pixels[:n * w]),
        }
    with open("src/test/resources/reference/fashion-slice.json", "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

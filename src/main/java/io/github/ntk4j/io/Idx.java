package io.github.ntk4j.io;

import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Files in the IDX format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, gzipped or not): a four-byte magic number {@code 0 0 T D}
 * (T the element type, here {@code 0x08}, unsigned bytes; D the number of dimensions), D
 * big-endian 32-bit dimensions, then the elements in row-major order (LeCun and Cortes,
 * "The MNIST database", http://yann.lecun.com/exdb/mnist/; Xiao, Rasul and Vollgraf,
 * "Fashion-MNIST", arXiv:1708.07747, same format).
 *
 * <p>The first dimension is the item count: an idx3 file of n images of h × w pixels reads as n
 * rows of h·w features (the pixel values 0–255 as doubles, row by row of the image), an idx1
 * file as n integer labels. A wrong magic number, a header that promises more bytes than the
 * file holds (a truncated file, or a truncated gzip stream) and bytes after the last element are
 * each refused with one line naming the file. The file name decides gzip: a name ending in
 * {@code .gz} is read through gzip.
 */
public final class Idx {
    /** The element type this reader accepts: unsigned bytes. */
    static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /**
     * Whether a file name looks like an IDX file: after an optional {@code .gz}, it ends in
     * {@code ubyte} (MNIST's {@code -idx3-ubyte}) or {@code .idx}, {@code .idx1} … {@code .idx9}.
     *
     * @param file a path
     * @return whether {@link #readImages}/{@link #readLabels} are the readers for it
     */
    public static boolean isIdx(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String s = name.toString().toLowerCase(Locale.ROOT);
        if (s.endsWith(".gz")) {
            s = s.substring(0, s.length() - 3);
        }
        return s.endsWith("ubyte") || s.matches(".*\\.idx[1-9]?");
    }

    /**
     * Reads an IDX file of n items of any shape (idx2, idx3, …) as n rows of their elements.
     *
     * @param file the file ({@code .gz}: gzip)
     * @return n rows × (product of the other dimensions), the unsigned byte values as doubles
     */
    public static double[][] readImages(Path file) {
        return read(file, false).rows;
    }

    /**
     * Reads an idx1 file of labels.
     *
     * @param file the file ({@code .gz}: gzip)
     * @return the labels, 0–255
     */
    public static int[] readLabels(Path file) {
        return read(file, true).labels;
    }

    /**
     * The number of dimensions an IDX file's magic number announces (1 for labels, 3 for images).
     *
     * @param file the file ({@code .gz}: gzip)
     * @return the fourth byte of the magic number
     */
    public static int dimensions(Path file) {
        String name = file.toString();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
                throw Messages.io(name, "not an IDX file: it does not start with the magic number 0x0000TTDD");
            }
            return magic[3] & 0xff;
        } catch (IOException e) {
            throw TextLines.readError(name, e);
        }
    }

    private record Content(double[][] rows, int[] labels) {
    }

    private static Content read(Path file, boolean labels) {
        String name = file.toString();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new DataInputStream(new BufferedInputStream(
                        name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            DataInputStream data = (DataInputStream) in;
            byte[] magic = new byte[4];
            int got = data.readNBytes(magic, 0, 4);
            if (got < 4) {
                throw Messages.io(name, "not an IDX file: " + got + " bytes, shorter than the 4-byte magic number");
            }
            int type = magic[2] & 0xff;
            int dims = magic[3] & 0xff;
            if (magic[0] != 0 || magic[1] != 0 || dims == 0) {
                throw Messages.io(name, String.format(Locale.ROOT, "not an IDX file: the magic number is 0x%02x%02x%02x%02x, "
                        + "an IDX file starts with 0x0000TTDD (TT the type, DD the number of dimensions)",
                        magic[0], magic[1], magic[2], magic[3]));
            }
            if (type != UNSIGNED_BYTE) {
                throw Messages.io(name, String.format(Locale.ROOT, "IDX element type 0x%02x is not supported "
                        + "(only 0x08, unsigned bytes, as in MNIST and Fashion-MNIST)", type));
            }
            if (labels && dims != 1) {
                throw Messages.io(name, "expected an idx1 file of labels (magic 0x00000801), got " + dims + " dimensions "
                        + "(magic 0x000008" + String.format(Locale.ROOT, "%02x", dims) + "): is this the images file?");
            }
            if (!labels && dims < 2) {
                throw Messages.io(name, "expected an IDX file of images (idx2 or idx3), got an idx1 file (magic 0x00000801): "
                        + "is this the labels file?");
            }
            int[] shape = new int[dims];
            for (int i = 0; i < dims; i++) {
                try {
                    shape[i] = data.readInt();
                } catch (EOFException e) {
                    throw Messages.io(name, "truncated IDX file: the header ends inside dimension " + (i + 1) + " of " + dims);
                }
                if (shape[i] < 0) {
                    throw Messages.io(name, "IDX dimension " + (i + 1) + " is " + Integer.toUnsignedString(shape[i])
                            + ", beyond 2^31 - 1");
                }
            }
            int n = shape[0];
            long width = 1;
            for (int i = 1; i < dims; i++) {
                width *= shape[i];
                if (width > Integer.MAX_VALUE - 16) {
                    throw Messages.io(name, "IDX item of " + describe(shape, 1) + " elements is too large for one row");
                }
            }
            if (n == 0 || width == 0) {
                throw Messages.empty(name + " (an IDX file of shape " + describe(shape, 0) + ")");
            }
            long expected = n * width;
            MemoryCheck.require("reading " + name + " (" + describe(shape, 0) + ")",
                    labels ? MemoryCheck.doubles(n) / 2 : MemoryCheck.plus(MemoryCheck.doubles(n, width), width));
            double[][] rows = labels ? null : new double[n][];
            int[] lab = labels ? new int[n] : null;
            byte[] buf = new byte[(int) width];
            for (int i = 0; i < n; i++) {
                int r = readFully(data, buf);
                if (r < buf.length) {
                    long found = (long) i * width + r;
                    throw Messages.io(name, "truncated IDX file: the header (" + describe(shape, 0) + ") promises " + expected
                            + " data bytes, the file holds " + found);
                }
                if (labels) {
                    lab[i] = buf[0] & 0xff;
                } else {
                    double[] row = new double[(int) width];
                    for (int j = 0; j < row.length; j++) {
                        row[j] = buf[j] & 0xff;
                    }
                    rows[i] = row;
                }
            }
            if (data.read() != -1) {
                throw Messages.io(name, "IDX file has bytes after the " + expected + " data bytes its header ("
                        + describe(shape, 0) + ") announces");
            }
            return new Content(rows, lab);
        } catch (IOException e) {
            throw TextLines.readError(name, e);
        }
    }

    /** Reads up to buf.length bytes; fewer only at the end of the stream (a truncated gzip stream counts as its end). */
    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        try {
            while (off < buf.length) {
                int r = in.read(buf, off, buf.length - off);
                if (r < 0) {
                    break;
                }
                off += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream", a gzip file cut short
        }
        return off;
    }

    private static String describe(int[] shape, int from) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < shape.length; i++) {
            if (i > from) {
                b.append(" × ");
            }
            b.append(shape[i]);
        }
        return b.toString();
    }
}

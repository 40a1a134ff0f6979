package io.papa.engine.data.imagenet;

import io.papa.api.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Where every image lies inside the ILSVRC tars, found by reading only their 512-byte headers:
 * ILSVRC tars are uncompressed, so each JPEG is a contiguous byte range that can later be read in
 * place, without extracting anything. Knowing every image up front gives an exact progress total
 * and finds a truncated archive or an unlabelled image before hours of conversion.
 */
final class TarIndex {

    private static final int BLOCK = 512;

    /** One image: its file name and the byte range of its contents in the outer archive file. */
    record Member(String name, long offset, long size) {
    }

    /** The images of one class, from its per-class tar inside the training archive. */
    record ClassArchive(String wnid, List<Member> images) {
    }

    private TarIndex() {
    }

    /** The per-class tars of {@code ILSVRC2012_img_train.tar} and the images in each. */
    static List<ClassArchive> perClass(Path archive, FileChannel channel) throws IOException {
        String expected = "a tar of per-class tars (n01440764.tar ...), each holding that class's JPEG images";
        List<ClassArchive> classes = new ArrayList<>();
        for (TarArchiveEntry entry : entries(new Slice(channel, 0, channel.size()), archive.toString(), expected)) {
            if (!entry.isFile()) {
                continue;
            }
            String name = baseName(entry.getName());
            if (!name.endsWith(".tar")) {
                throw new DatasetException(archive + " holds " + entry.getName() + ", which is not a tar; expected "
                        + expected);
            }
            String where = name + " inside " + archive;
            Slice slice = new Slice(channel, entry.getDataOffset(), entry.getSize());
            classes.add(new ClassArchive(name.substring(0, name.length() - ".tar".length()),
                    members(slice, where, "a tar of this class's JPEG images", entry.getDataOffset())));
        }
        if (classes.isEmpty()) {
            throw new DatasetException(archive + " holds no per-class tars; expected " + expected);
        }
        return classes;
    }

    /** The images of a flat archive such as {@code ILSVRC2012_img_val.tar}. */
    static List<Member> flat(Path archive, FileChannel channel, String expected) throws IOException {
        List<Member> members = members(new Slice(channel, 0, channel.size()), archive.toString(), expected, 0);
        if (members.isEmpty()) {
            throw new DatasetException(archive + " holds no files; expected " + expected);
        }
        return members;
    }

    private static List<Member> members(Slice slice, String where, String expected, long base) throws IOException {
        List<Member> members = new ArrayList<>();
        for (TarArchiveEntry entry : entries(slice, where, expected)) {
            if (entry.isFile()) {
                members.add(new Member(baseName(entry.getName()), base + entry.getDataOffset(), entry.getSize()));
            }
        }
        return members;
    }

    /**
     * The archive's entries, after checking that it is complete. Commons Compress reports a tar cut
     * inside an entry, but one cut at an entry boundary reads as a shorter valid archive; the
     * end-of-archive marker (a zero block after the last entry) is what proves nothing is missing.
     */
    private static List<TarArchiveEntry> entries(Slice slice, String where, String expected) throws IOException {
        List<TarArchiveEntry> entries;
        try (TarFile tar = new TarFile(slice)) {
            entries = tar.getEntries();
        } catch (IOException | IllegalArgumentException e) {
            throw truncated(where, slice.size(), "it cannot be read as a tar (" + e.getMessage() + ")", expected, e);
        }
        long end = 0;
        for (TarArchiveEntry entry : entries) {
            if (entry.isFile() && !entry.isStreamContiguous()) {
                throw new DatasetException(where + " holds " + entry.getName() + " as a sparse entry; expected " + expected
                        + " stored as plain files");
            }
            long dataEnd = entry.getDataOffset() + entry.getSize();
            if (dataEnd > slice.size()) {
                throw truncated(where, slice.size(), "entry " + entry.getName() + " needs " + dataEnd + " bytes", expected,
                        null);
            }
            end = Math.max(end, (dataEnd + BLOCK - 1) / BLOCK * BLOCK);
        }
        if (!zeroBlockAt(slice, end)) {
            String last = entries.isEmpty() ? "its start" : "entry " + entries.get(entries.size() - 1).getName();
            throw truncated(where, slice.size(), "it ends after " + last + " without the end-of-archive marker", expected,
                    null);
        }
        return entries;
    }

    private static boolean zeroBlockAt(Slice slice, long position) throws IOException {
        if (position + BLOCK > slice.size()) {
            return false;
        }
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        slice.position(position);
        while (block.hasRemaining()) {
            if (slice.read(block) < 0) {
                return false;
            }
        }
        for (int i = 0; i < BLOCK; i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static DatasetException truncated(String where, long size, String problem, String expected, Throwable cause) {
        return new DatasetException(where + " is truncated or damaged (" + size + " bytes): " + problem + "; expected "
                + expected + ", in full; download or copy it again", cause);
    }

    private static String baseName(String entryName) {
        String trimmed = entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /**
     * A read-only window onto part of a file, so a per-class tar inside the training tar can be
     * listed in place. Reads are positional, so slices of one channel never disturb each other.
     */
    private static final class Slice implements SeekableByteChannel {

        private final FileChannel file;
        private final long start;
        private final long size;
        private long position;

        Slice(FileChannel file, long start, long size) {
            this.file = file;
            this.start = start;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            if (position >= size) {
                return -1;
            }
            int limit = destination.limit();
            if (destination.remaining() > size - position) {
                destination.limit(destination.position() + (int) (size - position));
            }
            try {
                int read = file.read(destination, start + position);
                if (read > 0) {
                    position += read;
                }
                return read;
            } finally {
                destination.limit(limit);
            }
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public SeekableByteChannel truncate(long newSize) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        /** The file belongs to the caller, who closes it once every slice is done. */
        @Override
        public void close() {
        }
    }
}

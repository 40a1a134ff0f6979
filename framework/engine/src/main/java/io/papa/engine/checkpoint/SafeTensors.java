package io.papa.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (what PyTorch, timm and Hugging Face publish): an 8-byte little-endian
 * header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw
 * little-endian data. Float tensors are written as F32 and integer ones as I64; F64, F16, BF16 and
 * integer tensors are read (floats as FLOAT32, integers as INT64).
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** Writes {@code tensors} (in map order) with optional string metadata. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray array = entry.getValue();
            boolean integer = array.getDataType() == DataType.INT64 || array.getDataType() == DataType.INT32;
            Object values = integer ? array.toType(DataType.INT64, false).toLongArray()
                    : array.toType(DataType.FLOAT32, false).toFloatArray();
            data.put(entry.getKey(), values);
            ObjectNode info = header.putObject(entry.getKey());
            info.put("dtype", integer ? "I64" : "F32");
            var shape = info.putArray("shape");
            for (long d : array.getShape().getShape()) {
                shape.add(d);
            }
            var range = info.putArray("data_offsets");
            range.add(offset);
            offset += integer ? 8L * ((long[]) values).length : 4L * ((float[]) values).length;
            range.add(offset);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // the format pads the header with spaces to an 8-byte boundary
        int padded = (json.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Object values : data.values()) {
                int count = values instanceof long[] longs ? longs.length : ((float[]) values).length;
                for (int i = 0; i < count; i++) {
                    if (chunk.remaining() < 8) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    if (values instanceof long[] longs) {
                        chunk.putLong(longs[i]);
                    } else {
                        chunk.putFloat(((float[]) values)[i]);
                    }
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    /** A read file: tensors by name (in file order) and the metadata. */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {
    }

    /** Reads every tensor into {@code manager} as FLOAT32 (integers as INT64). */
    public static Contents read(Path file, NDManager manager) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new IOException(file + " is not a safetensors file: " + size + " bytes");
            }
            ByteBuffer lengthBuffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBuffer, 0);
            long headerLength = lengthBuffer.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new IOException(file + " is not a safetensors file: header length " + headerLength
                        + " for a file of " + size + " bytes");
            }
            ByteBuffer headerBuffer = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBuffer, 8);
            JsonNode header = JSON.readTree(new String(headerBuffer.array(), StandardCharsets.UTF_8).trim());
            long dataStart = 8 + headerLength;
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getKey().equals("__metadata__")) {
                    entry.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                NDArray borrowed = tensor(file, channel, dataStart, size, entry.getKey(), entry.getValue(), manager);
                // an array created from a Java buffer may share that buffer with torch; views of it (toDevice,
                // toType) do not keep it alive, so hand out arrays that own their memory
                NDArray owned = borrowed.duplicate();
                borrowed.close();
                tensors.put(entry.getKey(), owned);
            }
            return new Contents(tensors, metadata);
        }
    }

    private static NDArray tensor(Path file, FileChannel channel, long dataStart, long size, String name, JsonNode info,
            NDManager manager) throws IOException {
        String dtype = info.path("dtype").asText();
        long[] shape = new long[info.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = info.path("shape").get(i).asLong();
            count *= shape[i];
        }
        long begin = info.path("data_offsets").path(0).asLong(-1);
        long end = info.path("data_offsets").path(1).asLong(-1);
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16", "I16" -> 2;
            case "U8", "I8", "BOOL" -> 1;
            default -> throw new IOException(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
        };
        if (begin < 0 || end - begin != count * width || dataStart + end > size) {
            throw new IOException(file + ": tensor '" + name + "' has byte range [" + begin + ", " + end
                    + ") which does not fit its shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " or the file size " + size + " (truncated file?)");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, raw, dataStart + begin);
        raw.flip();
        Shape s = new Shape(shape);
        switch (dtype) {
            case "F32": {
                float[] v = new float[(int) count];
                raw.asFloatBuffer().get(v);
                return manager.create(v, s);
            }
            case "F64": {
                double[] d = new double[(int) count];
                raw.asDoubleBuffer().get(d);
                float[] v = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    v[i] = (float) d[i];
                }
                return manager.create(v, s);
            }
            case "F16":
            case "BF16": {
                float[] v = new float[(int) count];
                for (int i = 0; i < v.length; i++) {
                    int bits = raw.getShort() & 0xFFFF;
                    v[i] = dtype.equals("BF16") ? Float.intBitsToFloat(bits << 16) : halfToFloat(bits);
                }
                return manager.create(v, s);
            }
            default: {
                long[] v = new long[(int) count];
                for (int i = 0; i < v.length; i++) {
                    v[i] = switch (width) {
                        case 8 -> raw.getLong();
                        case 4 -> raw.getInt();
                        case 2 -> raw.getShort();
                        default -> dtype.equals("U8") ? raw.get() & 0xFF : raw.get();
                    };
                }
                return manager.create(v, s);
            }
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa / 1024f / 16384f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}

package org.blip4j.checkpoint;

import static org.blip4j.checkpoint.TensorAsserts.assertSameTensor;
import static org.blip4j.checkpoint.TensorAsserts.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointReaderTest {

    @Test
    void originalPthRenamedEqualsHfSafetensors() throws IOException {
        Map<String, RawTensor> original = TorchCheckpointReader.readStateDict(Fixtures.tinyAModel().resolve("original.pth"));
        Map<String, RawTensor> hf = Safetensors.read(Fixtures.tinyAModel().resolve("model.safetensors"));
        assertTrue(original.containsKey("visual_encoder_m.pos_embed"), "momentum encoder present in original.pth");
        assertEquals(DType.I64, original.get("text_encoder.embeddings.position_ids").dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3}, java.util.Arrays.copyOf(
                original.get("text_encoder.embeddings.position_ids").toLongs(), 4));

        OriginalCheckpointRenamer.Result r = OriginalCheckpointRenamer.rename(original);
        assertSameTensors(hf, r.model());
    }

    @Test
    void pytorchModelBinEqualsSafetensorsIncludingTiedStorage() throws IOException {
        Map<String, RawTensor> bin = TorchCheckpointReader.readStateDict(Fixtures.resource("checkpoint/pytorch_model.bin"));
        Map<String, RawTensor> hf = Safetensors.read(Fixtures.tinyAModel().resolve("model.safetensors"));
        assertSameTensors(hf, bin);
    }

    @Test
    void stridesOffsetsAndDtypesAreHonoured() throws IOException {
        Map<String, RawTensor> got = TorchCheckpointReader.readStateDict(Fixtures.resource("checkpoint/strided_dtypes.pth"));
        Map<String, RawTensor> expected = Safetensors.read(Fixtures.resource("checkpoint/strided_dtypes.expected.safetensors"));
        expected.forEach((k, v) -> assertSameTensor(v, got.get(k), k));
        // spot-check values independently of the fixture writer: base = arange(24).reshape(4,6)/7
        float[] t = got.get("transposed").toFloats();
        assertArrayEquals(new long[] {6, 4}, got.get("transposed").shape());
        assertEquals(6f / 7, t[1], 1e-7); // transposed[0][1] = base[1][0]
        assertArrayEquals(new long[] {2, 2}, got.get("step_slice").shape());
        assertEquals(15f / 7, got.get("step_slice").toFloats()[3], 1e-7); // base[2][3]
        assertEquals(DType.F16, got.get("half_t").dtype());
        assertEquals(DType.BF16, got.get("bf16").dtype());
        assertEquals(DType.BOOL, got.get("bool").dtype());
        assertArrayEquals(new long[] {}, got.get("scalar").shape());
        assertEquals(0.07f, got.get("scalar").toFloats()[0], 1e-7);
        assertArrayEquals(new long[] {0, 3}, got.get("empty").shape());
    }

    @Test
    void legacyFormatIsRead() throws IOException {
        Map<String, RawTensor> got = TorchCheckpointReader.readStateDict(Fixtures.resource("checkpoint/legacy_format.pth"));
        assertSameTensors(Safetensors.read(Fixtures.resource("checkpoint/legacy_format.expected.safetensors")), got);
    }

    @Test
    void corruptFilesFailWithTheirName(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.pth");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(garbage));
        assertTrue(e.getMessage().contains("garbage.pth"), e.getMessage());

        // a real checkpoint cut in half: the zip directory is gone
        byte[] full = Files.readAllBytes(Fixtures.resource("checkpoint/strided_dtypes.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
        e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(cut));
        assertTrue(e.getMessage().contains("cut.pth"), e.getMessage());

        byte[] legacy = Files.readAllBytes(Fixtures.resource("checkpoint/legacy_format.pth"));
        Path cutLegacy = dir.resolve("cut_legacy.pth");
        Files.write(cutLegacy, java.util.Arrays.copyOf(legacy, legacy.length - 20));
        e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(cutLegacy));
        assertTrue(e.getMessage().contains("cut_legacy.pth"), e.getMessage());

        IOException missing = assertThrows(IOException.class,
                () -> TorchCheckpointReader.readStateDict(dir.resolve("nope.pth")));
        assertTrue(missing.getMessage().contains("nope.pth"));
    }

    @Test
    void topLevelKeysListsWrapper() throws IOException {
        assertEquals(java.util.List.of("state_dict", "epoch"),
                TorchCheckpointReader.topLevelKeys(Fixtures.resource("checkpoint/strided_dtypes.pth")));
    }
}

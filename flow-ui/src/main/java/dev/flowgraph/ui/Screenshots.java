package dev.flowgraph.ui;

import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes what a scene shows to a PNG file (for docs/editor.png and the benchmark's checks). */
public final class Screenshots {
    private Screenshots() {
    }

    public static void save(Scene scene, Path target) {
        WritableImage image = scene.snapshot(null);
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            ImageIO.write(out, "png", target.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

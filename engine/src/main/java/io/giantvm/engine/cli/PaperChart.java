package io.giantvm.engine.cli;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code bench paper --png}: a grouped bar chart of the ratios, one group per test, a bar per N-node run (ours)
 * and one for GiantVM's published figure where the paper has one; 1.0 (one node) is drawn across. Drawn headless
 * with AWT and written with ImageIO, so it needs no display and no library beyond the JDK.
 */
final class PaperChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 78;
    private static final int BOTTOM = 104;
    /** The y of the ratio-0 axis: bars stand on the row above it. */
    static final int BASELINE_Y = HEIGHT - BOTTOM;
    /** A bar for a ratio near 0 still shows (and is counted). */
    private static final int MIN_BAR = 2;

    private static final Color[] OURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};
    static final Color GIANTVM = new Color(0x8c8c8c);
    private static final Color GRID = new Color(0xdddddd);
    private static final Color NO_FIGURE = new Color(0x555555);

    /** One colour of bars: a run of ours, or the paper's figures; a value per test of {@link PaperRun#TESTS}. */
    record Series(String name, Color color, List<OptionalDouble> values) {}

    private PaperChart() {}

    static List<Series> series(PaperTable t) {
        List<Series> s = new ArrayList<>();
        List<PaperRunResult> columns = t.columns();
        for (int i = 0; i < columns.size(); i++) {
            PaperRunResult c = columns.get(i);
            s.add(new Series("ours, " + c.run().label(), OURS[i % OURS.length],
                    PaperRun.TESTS.stream().map(test -> t.ratio(test, c)).toList()));
        }
        s.add(new Series("GiantVM (TURC'19, 4 machines)", GIANTVM, PaperRun.TESTS.stream().map(PaperFigures::ratio).toList()));
        return s;
    }

    /** How many bars the chart has: one per value present. */
    static int bars(List<Series> series) {
        return (int) series.stream().flatMap(s -> s.values().stream()).filter(OptionalDouble::isPresent).count();
    }

    static void write(PaperTable t, Path file) throws IOException {
        if (!ImageIO.write(draw(t), "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    static BufferedImage draw(PaperTable t) {
        System.setProperty("java.awt.headless", "true");
        List<Series> series = series(t);
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double top = scaleTop(series);
            drawTitle(g, t);
            drawGrid(g, top);
            drawBars(g, series, top);
            drawLegend(g, series);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Room above the highest bar for its label, and never below 1.2 so that the 1.0 line is always in view. */
    private static double scaleTop(List<Series> series) {
        double max = series.stream().flatMap(s -> s.values().stream()).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max().orElse(0);
        return Math.max(1.2, Math.ceil(max * 1.15 * 5) / 5);
    }

    private static int y(double value, double top) {
        return BASELINE_Y - (int) Math.round(value / top * (BASELINE_Y - TOP));
    }

    private static void drawTitle(Graphics2D g, PaperTable t) {
        String title = "sysbench in Linux, throughput per vCPU: " + (t.columns().isEmpty() ? "" : t.columns().getFirst().run().shape()
                + " / ") + t.baseline().run().shape();
        g.setColor(Color.BLACK);
        int size = 18;
        do { // many nodes make a long title: smaller rather than cut off
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size--));
        } while (g.getFontMetrics().stringWidth(title) > WIDTH - LEFT - RIGHT && size > 10);
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("giantvm bench paper, " + t.host().heading(), LEFT, 48);
        if (t.oversubscribed()) {
            g.setColor(new Color(0xb00000));
            g.drawString("host cores oversubscribed: the absolute figures are not comparable, only the ratios mean something", LEFT, 66);
        }
    }

    private static void drawGrid(Graphics2D g, double top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double v = 0; v <= top + 1e-9; v += 0.2) {
            int y = y(v, top);
            g.setColor(v == 0 ? Color.BLACK : GRID);
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.1f", v);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        int one = y(1.0, top);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.drawLine(LEFT, one, WIDTH - RIGHT, one);
        g.setStroke(new BasicStroke(1f));
        g.drawString("1 node", WIDTH - RIGHT - fm.stringWidth("1 node") - 2, one - 4);
    }

    private static void drawBars(Graphics2D g, List<Series> series, double top) {
        int tests = PaperRun.TESTS.size();
        int group = (WIDTH - LEFT - RIGHT) / tests;
        int bar = Math.min(44, (int) (group * 0.8) / series.size());
        int gap = 4;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < tests; i++) {
            int groupLeft = LEFT + i * group;
            int barsWidth = series.size() * bar - gap;
            int x0 = groupLeft + (group - barsWidth) / 2;
            for (int s = 0; s < series.size(); s++) {
                OptionalDouble v = series.get(s).values().get(i);
                int x = x0 + s * bar;
                if (v.isEmpty()) { // said, so that a missing bar is not read as a ratio of 0
                    g.setColor(NO_FIGURE);
                    g.drawString("n/a", x + (bar - gap - fm.stringWidth("n/a")) / 2, BASELINE_Y - 6);
                    continue;
                }
                int yTop = Math.min(y(v.getAsDouble(), top), BASELINE_Y - MIN_BAR);
                g.setColor(series.get(s).color());
                g.fillRect(x, yTop, bar - gap, BASELINE_Y - yTop);
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%.2f", v.getAsDouble());
                g.drawString(label, x + (bar - gap - fm.stringWidth(label)) / 2, yTop - 4);
            }
            String name = PaperRun.TESTS.get(i);
            g.setColor(Color.BLACK);
            g.drawString(name, groupLeft + (group - fm.stringWidth(name)) / 2, BASELINE_Y + 18);
        }
    }

    private static void drawLegend(Graphics2D g, List<Series> series) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        int y = HEIGHT - 50;
        for (Series s : series) {
            int width = 18 + fm.stringWidth(s.name()) + 24;
            if (x + width > WIDTH - RIGHT) {
                x = LEFT;
                y += 22;
            }
            g.setColor(s.color());
            g.fillRect(x, y - 11, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), x + 18, y);
            x += width;
        }
    }
}

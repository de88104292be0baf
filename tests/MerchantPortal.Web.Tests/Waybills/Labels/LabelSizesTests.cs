using MerchantPortal.PrinterSandbox;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Features.Waybills.Labels;
using ZXing;
using ZXing.Common;

namespace MerchantPortal.Web.Tests.Waybills.Labels;

/// <summary>
/// Each label size in each format: ZPL and TSPL are read back by the printer simulator (written from the printer
/// manuals, not from these renderers) and their barcodes, drawn as the printer would burn them, scan to the tracking
/// number; the PDF is rasterized by poppler and its barcode scanned the same way.
/// </summary>
public class LabelSizesTests
{
    public static TheoryData<LabelSize, int> SizesAndSamples()
    {
        var data = new TheoryData<LabelSize, int>();
        foreach (var size in Enum.GetValues<LabelSize>())
        {
            foreach (var sample in new[] { 0, 1, 4, 5 })
            {
                data.Add(size, sample);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndSamples))]
    public void A_ZPL_label_of_each_size_parses_back_with_its_size_texts_and_a_barcode_that_scans(LabelSize size, int sample)
    {
        var label = LabelSamples.Create(sample);
        var (language, labels) = PrinterSimulator.Parse(new LabelZplRenderer().RenderUtf8([label], size));

        Assert.Equal(MerchantPortal.PrinterSandbox.PrinterLanguage.Zpl, language);
        AssertLabel(size, label, Assert.Single(labels));
    }

    [Theory]
    [MemberData(nameof(SizesAndSamples))]
    public void A_TSPL_label_of_each_size_parses_back_with_its_size_texts_and_a_barcode_that_scans(LabelSize size, int sample)
    {
        var label = LabelSamples.Create(sample);
        var (language, labels) = PrinterSimulator.Parse(new LabelTsplRenderer().RenderBytes([label], size));

        Assert.Equal(MerchantPortal.PrinterSandbox.PrinterLanguage.Tspl, language);
        AssertLabel(size, label, Assert.Single(labels));
    }

    [Fact]
    public void TSPL_quotes_and_line_breaks_in_an_address_stay_inside_their_text()
    {
        var label = LabelSamples.Create(0) with { Receiver = LabelSamples.Create(0).Receiver with { Address = "幸福路 \"8\" 号\r\nPRINT 99" } };
        var (_, labels) = PrinterSimulator.Parse(new LabelTsplRenderer().RenderBytes([label]));

        var printed = Assert.Single(labels);
        Assert.Equal(1, printed.Copies);
        // The address wraps over lines (TEXT does not wrap by itself): read as one.
        Assert.Contains("幸福路 \"8\" 号", printed.AllText.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(printed.Texts, t => t.Text.StartsWith("PRINT", StringComparison.Ordinal) && t.X == 0);
    }

    [Fact]
    public void Many_labels_come_back_in_the_order_given()
    {
        var samples = LabelSamples.Many(12);
        foreach (var bytes in new[] { new LabelZplRenderer().RenderUtf8(samples, LabelSize.Mm76x130), new LabelTsplRenderer().RenderBytes(samples, LabelSize.Mm100x180) })
        {
            var (_, labels) = PrinterSimulator.Parse(bytes);
            Assert.Equal(samples.Select(s => s.TrackingNo), labels.Select(l => l.Barcodes[0].Data));
        }
    }

    [Theory]
    [InlineData(LabelSize.Mm100x150, 100, 150)]
    [InlineData(LabelSize.Mm76x130, 76, 130)]
    [InlineData(LabelSize.Mm100x180, 100, 180)]
    public async Task A_PDF_label_of_each_size_has_its_page_size_and_a_barcode_that_scans(LabelSize size, int widthMm, int heightMm)
    {
        const int dpi = 300;
        var label = LabelSamples.Create(4);
        using var poppler = new Poppler();
        var path = poppler.Write(new LabelPdfRenderer().Render([label], size));
        var image = await poppler.RasterizeAsync(path, dpi);

        Assert.InRange(image.Width, (widthMm / 25.4 * dpi) - 3, (widthMm / 25.4 * dpi) + 3);
        Assert.InRange(image.Height, (heightMm / 25.4 * dpi) - 3, (heightMm / 25.4 * dpi) + 3);
        // The main barcode band (31–53 mm of the 150 mm design, scaled on 76×130).
        var scale = size == LabelSize.Mm76x130 ? 130.0 / 150 : 1;
        Assert.Equal(label.TrackingNo, Decode(image, (int)(31 * scale / 25.4 * dpi), (int)(22 * scale / 25.4 * dpi)));
        var text = await poppler.TextAsync(path);
        Assert.Contains(label.CarrierName, text);
        if (size == LabelSize.Mm100x180)
        {
            // The sender's stub carries the barcode again.
            Assert.Equal(label.TrackingNo, Decode(image, (int)(155 / 25.4 * dpi), (int)(12 / 25.4 * dpi)));
            Assert.Contains("寄件联", text);
        }
    }

    private static string? Decode(GrayImage image, int top, int height)
    {
        var band = image.Pixels.AsSpan(top * image.Width, height * image.Width).ToArray();
        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], TryHarder = true } };
        return reader.Decode(new RGBLuminanceSource(band, image.Width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }

    private static void AssertLabel(LabelSize size, LabelData label, PrintedLabel printed)
    {
        var (w, h) = size switch { LabelSize.Mm76x130 => (76, 130), LabelSize.Mm100x180 => (100, 180), _ => (100, 150) };
        Assert.Equal((w * 8, h * 8), (printed.WidthDots, printed.HeightDots));
        Assert.All(printed.Texts, t => Assert.InRange(t.X, 0, (w * 8) - 1));
        Assert.All(printed.Texts, t => Assert.InRange(t.Y, 0, (h * 8) - 1));
        Assert.Contains(printed.Texts, t => t.Text.Contains(label.CarrierName, StringComparison.Ordinal));
        Assert.Contains(printed.Texts, t => t.Text.Contains(label.MarkDestination!, StringComparison.Ordinal));
        Assert.Contains(printed.Texts, t => t.Text.Contains(label.Receiver.Name, StringComparison.Ordinal));
        Assert.DoesNotContain(label.Receiver.Phone, printed.AllText, StringComparison.Ordinal);
        Assert.Contains(label.Receiver.Phone[..3] + "****" + label.Receiver.Phone[^4..], printed.AllText, StringComparison.Ordinal);
        // The main barcode, and the stub's on 100×180: each scans to the tracking number and fits on the label.
        Assert.Equal(size == LabelSize.Mm100x180 ? 2 : 1, printed.Barcodes.Count);
        foreach (var barcode in printed.Barcodes)
        {
            Assert.Equal(label.TrackingNo, barcode.Data);
            Assert.InRange(barcode.ModuleWidth, 3, 4);
            var bitmap = barcode.Render();
            // Quiet zones of 10 modules inside the label on both sides (width as the printer encodes it: optimal code sets).
            var width = Code128.Encode(barcode.Data).Modules * barcode.ModuleWidth;
            var quiet = 10 * barcode.ModuleWidth;
            Assert.True(barcode.X >= quiet && barcode.X + width + quiet <= w * 8, $"barcode at {barcode.X}, {width} dots wide, leaves no quiet zone on a {w} mm label");
            var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], PureBarcode = true } };
            var result = reader.Decode(new RGBLuminanceSource(bitmap.Pixels, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8));
            Assert.Equal(label.TrackingNo, result?.Text);
        }
    }
}

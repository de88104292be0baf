using System.Buffers.Binary;
using MerchantPortal.Web.Features.Waybills.Labels;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using ZXing;
using ZXing.Common;

namespace MerchantPortal.Web.Tests.Waybills.Labels;

public class LabelPdfRendererTests
{
    private const int Dpi = 300;
    private readonly LabelPdfRenderer renderer = new();

    [Theory]
    [InlineData(0)] // ZTO, digits only (code set C)
    [InlineData(1)] // YTO, letters then digits
    [InlineData(4)] // SF
    [InlineData(5)] // JD, four letters
    public async Task The_barcode_on_a_printed_label_scans_back_to_the_tracking_number(int sample)
    {
        var label = LabelSamples.Create(sample);
        using var poppler = new Poppler();
        var image = await poppler.RasterizeAsync(poppler.Write(renderer.Render(label)), Dpi);

        // Decode the barcode band only, as a sorting-centre scanner aimed at it would.
        var top = (int)(31 / 25.4 * Dpi);
        var height = (int)(22 / 25.4 * Dpi);
        var band = image.Pixels.AsSpan(top * image.Width, height * image.Width).ToArray();
        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], TryHarder = true },
        };
        var result = reader.Decode(new RGBLuminanceSource(band, image.Width, height, RGBLuminanceSource.BitmapFormat.Gray8));

        Assert.NotNull(result);
        Assert.Equal(BarcodeFormat.CODE_128, result.BarcodeFormat);
        Assert.Equal(label.TrackingNo, result.Text);
    }

    [Fact]
    public void Barcode_modules_are_at_least_a_third_of_a_millimetre_with_ten_module_quiet_zones()
    {
        foreach (var label in LabelSamples.Many(6))
        {
            var layout = LabelPdfRenderer.LayoutBarcode(label.TrackingNo);
            Assert.InRange(layout.ModuleMm, 0.33, 0.51);
            Assert.True(layout.LeftQuietMm >= 10 * layout.ModuleMm, $"{label.TrackingNo}: left quiet zone {layout.LeftQuietMm:0.0} mm");
            Assert.True(layout.RightQuietMm >= 10 * layout.ModuleMm, $"{label.TrackingNo}: right quiet zone {layout.RightQuietMm:0.0} mm");
        }
    }

    [Fact]
    public async Task The_label_carries_Chinese_text_and_the_receiver_phone_only_masked()
    {
        var label = LabelSamples.Create(0);
        using var poppler = new Poppler();
        var text = await poppler.TextAsync(poppler.Write(renderer.Render(label)));

        Assert.Contains("中通快递", text);
        Assert.Contains(label.Receiver.City, text);
        Assert.Contains(label.Receiver.Name, text);
        Assert.Contains(label.MarkDestination!, text);
        Assert.Contains("T恤 ×2", text);
        Assert.Contains(label.OrderNo, text);
        Assert.Contains(label.TrackingNo, text);
        var masked = label.Receiver.Phone[..3] + "****" + label.Receiver.Phone[^4..];
        Assert.Contains(masked, text);
        Assert.DoesNotContain(label.Receiver.Phone, text);
    }

    [Fact]
    public async Task Chinese_glyphs_come_from_the_embedded_CJK_font_not_empty_boxes()
    {
        var label = LabelSamples.Create(2);
        using var poppler = new Poppler();
        var fonts = await poppler.FontsAsync(poppler.Write(renderer.Render(label)));

        // Embedded (emb = yes) as a subset (ABCDEF+ prefix) of WQY Micro Hei, Identity-H (Unicode) encoding.
        var line = Assert.Single(fonts.Split('\n'), l => l.Contains("+WenQuanYi", StringComparison.Ordinal));
        Assert.Contains("Identity-H", line);
        Assert.Contains("yes yes", line);

        // Every character on the label has a real glyph in the face (glyph 0 is .notdef, the empty box).
        var font = new XFont(LabelFontResolver.FamilyName, 10, XFontStyleEx.Regular, XPdfFontOptions.UnicodeDefault);
        var everything = string.Concat(label.CarrierName, label.MarkDestination, label.SortingCode, label.Receiver.FullAddress,
            label.Receiver.Name, label.Sender.FullAddress, label.Sender.Name, label.ItemSummary, "收寄物品订单号重量备注运单号签收人时间打印代收货款电子面单");
        var missing = everything.EnumerateRunes().Where(r => GlyphHelper.GlyphIndexFromCodePoint(r.Value, font) == 0).Distinct().ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Chinese_text_is_painted_ink_on_the_rasterized_label()
    {
        // A font with no outlines (or a broken TTF cut) would leave the receiver block blank on paper even though
        // pdftotext still finds the text; so look at the pixels where the receiver's address is printed.
        using var poppler = new Poppler();
        var image = await poppler.RasterizeAsync(poppler.Write(renderer.Render(LabelSamples.Create(0))), 150);

        var receiverText = image.DarkShare(13, 60, 80, 20, 150);
        var blankBelowFrame = image.DarkShare(0.2, 0.2, 1.5, 140, 150);
        Assert.InRange(receiverText, 0.04, 0.6);
        Assert.Equal(0, blankBelowFrame);
    }

    [Fact]
    public async Task A_merged_PDF_has_one_100_by_150_mm_page_per_label_in_the_given_order()
    {
        var labels = LabelSamples.Many(7).Reverse().ToList(); // pick order need not be index order
        using var poppler = new Poppler();
        var pdf = poppler.Write(renderer.Render(labels));

        Assert.Equal(labels.Count, await poppler.PageCountAsync(pdf));
        for (var page = 1; page <= labels.Count; page++)
        {
            var text = await poppler.TextAsync(pdf, page);
            Assert.Contains(labels[page - 1].TrackingNo, text);
            Assert.Contains($"{page}/{labels.Count}", text);
        }
        using var document = PdfSharp.Pdf.IO.PdfReader.Open(pdf, PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
        for (var i = 0; i < document.PageCount; i++)
        {
            Assert.Equal(100, document.Pages[i].Width.Millimeter, 1);
            Assert.Equal(150, document.Pages[i].Height.Millimeter, 1);
        }
    }

    [Fact]
    public void Writing_to_a_stream_that_cannot_seek_gives_the_same_PDF_as_the_byte_array()
    {
        var labels = LabelSamples.Many(3);
        using var output = new ForwardOnlyStream();
        renderer.Render(labels, output);

        var bytes = renderer.Render(labels);
        Assert.Equal("%PDF-"u8.ToArray(), output.Written.ToArray()[..5]);
        // Same content; only the document ID and timestamps may differ, so compare the sizes loosely.
        Assert.InRange(output.Written.Length, bytes.Length - 200, bytes.Length + 200);
    }

    [Theory]
    [InlineData("73100012345678", "7310 0012 3456 78")]
    [InlineData("SF1234567890123", "SF 1234 5678 9012 3")]
    [InlineData("JDVA12345678901", "JDVA 1234 5678 901")]
    [InlineData("12345678", "12345678")]
    public void The_readable_tracking_number_is_grouped_in_fours_after_any_letter_prefix(string trackingNo, string printed) =>
        Assert.Equal(printed, LabelPdfRenderer.GroupDigits(trackingNo));

    [Fact]
    public void An_empty_list_of_labels_is_refused_rather_than_printing_an_empty_file() =>
        Assert.Throws<ArgumentException>(() => renderer.Render([]));

    [Fact]
    public async Task Long_addresses_and_missing_optional_fields_still_render()
    {
        var label = LabelSamples.Create(0) with
        {
            MarkDestination = null,
            SortingCode = null,
            Remark = null,
            CodAmount = null,
            Receiver = LabelSamples.Create(0).Receiver with { Address = string.Concat(Enumerable.Repeat("很长很长的地址", 40)) + " 𠮷野家" },
        };
        using var poppler = new Poppler();
        var text = await poppler.TextAsync(poppler.Write(renderer.Render(label)));
        Assert.Contains("…", text);
        Assert.Contains(label.TrackingNo, text);
    }

    [Fact]
    public async Task A_long_item_list_and_remark_are_cut_short_rather_than_printed_over_the_stub()
    {
        var label = LabelSamples.Create(0) with
        {
            CarrierCode = "HTKYEXPRESS",
            ItemSummary = string.Join(", ", Enumerable.Range(1, 20).Select(i => $"商品{i} ×{i}")),
            Remark = string.Concat(Enumerable.Repeat("请务必当面验货签收，", 10)),
        };
        using var poppler = new Poppler();
        var pdf = poppler.Write(renderer.Render(label));
        var lines = (await poppler.TextAsync(pdf)).Split('\n');

        // Items on two lines, the remark on one, each ending with an ellipsis; the stub lines come after them.
        var remark = Array.FindIndex(lines, l => l.Contains("备注", StringComparison.Ordinal));
        var stub = Array.FindIndex(lines, l => l.Contains("运单号", StringComparison.Ordinal));
        Assert.InRange(remark, 0, stub - 1);
        Assert.EndsWith("…", lines[remark].TrimEnd());
        Assert.Contains(lines, l => l.Contains("物品", StringComparison.Ordinal));
        Assert.Contains("HTKYEXPRESS", string.Join('\n', lines));
    }

    [Fact]
    public async Task Labels_render_in_parallel_from_several_threads()
    {
        const int threads = 8;
        using var start = new Barrier(threads);
        var tasks = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(); // all threads hit PDFsharp's global font state at the same moment
            var ownRenderer = new LabelPdfRenderer();
            return ownRenderer.Render(LabelSamples.Many(5).Select(l => l with { OrderNo = $"T{t}-{l.OrderNo}" }));
        }, TaskCreationOptions.LongRunning)).ToArray();
        var pdfs = await Task.WhenAll(tasks);

        using var poppler = new Poppler();
        for (var t = 0; t < threads; t++)
        {
            var pdf = poppler.Write(pdfs[t], $"thread-{t}.pdf");
            Assert.Equal(5, await poppler.PageCountAsync(pdf));
            Assert.Contains($"T{t}-SO20261128000005", await poppler.TextAsync(pdf, 5));
        }
    }

    [Fact]
    public async Task A_label_image_with_Chinese_text_is_kept_in_the_docs()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MerchantPortal.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var png = Path.Combine(root.FullName, "docs", "labels", "label-zh.png");

        using var poppler = new Poppler();
        // A COD sample with a remark, so the image shows every zone of the label.
        var label = LabelSamples.Create(3) with { Remark = "工作日白天送货，放前台即可" };
        await poppler.WritePngAsync(poppler.Write(renderer.Render(label)), png, dpi: 200);

        Assert.True(new FileInfo(png).Length > 10_000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }

    private sealed class ForwardOnlyStream : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}

public class TrueTypeCollectionTests
{
    [Fact]
    public void The_first_face_of_the_shipped_collection_becomes_a_valid_standalone_TrueType_font()
    {
        var ttc = File.ReadAllBytes(LabelFontResolver.FontPath);
        Assert.True(TrueTypeCollection.IsCollection(ttc));
        Assert.Equal(2, TrueTypeCollection.FaceCount(ttc));

        var ttf = TrueTypeCollection.ExtractFace(ttc, 0);

        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32BigEndian(ttf));
        int tables = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(4));
        var seen = new List<string>();
        for (var i = 0; i < tables; i++)
        {
            var record = ttf.AsSpan(12 + (16 * i));
            var tag = System.Text.Encoding.ASCII.GetString(record[..4]);
            var checksum = BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            Assert.Equal(0, offset % 4);
            Assert.InRange(offset + length, 0, ttf.Length);
            var data = ttf.AsSpan(offset, length).ToArray();
            if (tag == "head")
            {
                data[8] = data[9] = data[10] = data[11] = 0; // head's checksum is defined with checkSumAdjustment zeroed
            }
            Assert.True(checksum == TrueTypeCollection.Checksum(data), $"checksum of table {tag}");
            seen.Add(tag);
        }
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Contains("glyf", seen);
        Assert.Contains("cmap", seen);
        // The whole file sums to the spec's magic number once checkSumAdjustment is in place.
        Assert.Equal(0xB1B0AFBAu, TrueTypeCollection.Checksum(ttf));
        // Face 0 is the proportional face; its name table carries "WenQuanYi Micro Hei" in UTF-16BE.
        Assert.Contains("WenQuanYi Micro Hei", System.Text.Encoding.BigEndianUnicode.GetString(ttf));
    }

    [Fact]
    public void A_single_font_file_is_not_mistaken_for_a_collection() =>
        Assert.Throws<InvalidDataException>(() => TrueTypeCollection.ExtractFace(LabelFontResolver.TtfBytes));
}

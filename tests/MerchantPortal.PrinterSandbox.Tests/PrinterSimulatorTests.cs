using System.Net.Sockets;
using System.Text;
using ZXing;
using ZXing.Common;

namespace MerchantPortal.PrinterSandbox.Tests;

public class ParserTests
{
    private const string Zpl = """
        ^XA^CI28^PW800^LL1200^LH0,0
        ^FO16,16^GB768,1168,3^FS
        ^FO40,120^A@N,64,64,E:SIMSUN.TTF^FH^FD杭州 310_5E008^FS
        ^FO100,260^BY3,3,136^BCN,136,N,N,N,A^FH^FD73100012345678^FS
        ^FO16,420^A0N,36,30^FDSF 1234^FS
        ^XZ
        ^XA^PW608^LL1040^FO0,0^A0N,20,20^FDsecond^FS^PQ2^XZ
        """;

    private const string Tspl = """
        SIZE 76 mm,130 mm
        GAP 2 mm,0 mm
        DIRECTION 1
        CLS
        TEXT 20,30,"TSS24.BF2",0,2,2,"上海 200-001"
        BOX 10,10,598,1030,3
        BAR 10,100,588,4
        BARCODE 40,200,"128",120,0,0,3,6,"SF1234567890"
        TEXT 20,400,"3",0,1,1,"say \["]hi\["], ok"
        PRINT 1
        """;

    [Fact]
    public void A_ZPL_stream_gives_each_label_its_size_texts_boxes_and_barcode()
    {
        var labels = ZplParser.Parse(Zpl);

        Assert.Equal(2, labels.Count);
        var first = labels[0];
        Assert.Equal((800, 1200), (first.WidthDots, first.HeightDots));
        Assert.Equal(new PrintedText(40, 120, 64, "E:SIMSUN.TTF", "杭州 310^008"), first.Texts[0]);
        Assert.Equal(new PrintedBarcode(100, 260, "128", "73100012345678", 3, 136), Assert.Single(first.Barcodes));
        Assert.Equal(new PrintedBox(16, 16, 768, 1168, 3, false), Assert.Single(first.Boxes));
        Assert.Equal("SF 1234", first.Texts[1].Text);
        Assert.Equal((608, 2, "second"), (labels[1].WidthDots, labels[1].Copies, labels[1].Texts[0].Text));
    }

    [Fact]
    public void A_TSPL_stream_gives_its_label_in_dots_with_quoted_text_unescaped()
    {
        var label = Assert.Single(TsplParser.Parse(Tspl));

        Assert.Equal((608, 1040), (label.WidthDots, label.HeightDots));
        Assert.Equal(new PrintedText(20, 30, 48, "TSS24.BF2", "上海 200-001"), label.Texts[0]);
        Assert.Equal("say \"hi\", ok", label.Texts[1].Text);
        Assert.Equal(new PrintedBarcode(40, 200, "128", "SF1234567890", 3, 120), Assert.Single(label.Barcodes));
        Assert.Equal([new PrintedBox(10, 10, 588, 1020, 3, false), new PrintedBox(10, 100, 588, 4, 4, true)], label.Boxes);
    }

    [Fact]
    public void CLS_starts_a_new_label_and_PRINT_counts_copies()
    {
        var labels = TsplParser.Parse("SIZE 100 mm,150 mm\nCLS\nTEXT 1,1,\"3\",0,1,1,\"a\"\nPRINT 1,2\nCLS\nTEXT 1,1,\"3\",0,1,1,\"b\"\nPRINT 1\n");

        Assert.Equal(["a", "b"], labels.Select(l => l.AllText));
        Assert.Equal([2, 1], labels.Select(l => l.Copies));
    }

    [Theory]
    [InlineData("73100012345678")]
    [InlineData("SF1234567890123")]
    [InlineData("JT0001234567")]
    [InlineData("7310001234567")]
    [InlineData("A1-b2 C3~")]
    [InlineData("YT12345")]
    public void A_rendered_Code_128_decodes_to_its_data(string data)
    {
        var bitmap = new PrintedBarcode(0, 0, "128", data, 3, 100).Render();

        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.CODE_128], PureBarcode = true } };
        var result = reader.Decode(new RGBLuminanceSource(bitmap.Pixels, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8));

        Assert.Equal(data, result?.Text);
    }

    [Fact]
    public void Code_set_C_carries_an_even_digit_run_two_digits_a_symbol()
    {
        // Start C, 7 pairs, check, stop.
        Assert.Equal(10, Code128Encoder.Values("73100012345678").Count);
        Assert.Equal(105, Code128Encoder.Values("73100012345678")[0]);
    }
}

public class SimulatorTests
{
    [Fact]
    public async Task A_job_sent_over_TCP_is_parsed_and_kept()
    {
        await using var printer = PrinterSimulator.Start();

        await SendAsync(printer.Port, Encoding.UTF8.GetBytes("^XA^FO1,1^BY2^BCN,50,N,N,N,A^FD12345678^FS^XZ"));
        var labels = await printer.WaitForLabelsAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("12345678", Assert.Single(labels).Barcodes[0].Data);
        Assert.Equal(PrinterLanguage.Zpl, printer.Jobs[0].Language);
    }

    [Fact]
    public async Task TSPL_in_GB18030_is_read_as_Chinese()
    {
        await using var printer = PrinterSimulator.Start();
        var gb = Encoding.GetEncoding("GB18030");

        await SendAsync(printer.Port, gb.GetBytes("SIZE 100 mm,150 mm\r\nCLS\r\nTEXT 8,8,\"TSS24.BF2\",0,1,1,\"收件人 王晓明\"\r\nPRINT 1\r\n"));
        var labels = await printer.WaitForLabelsAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal("收件人 王晓明", labels[0].Texts[0].Text);
    }

    [Fact]
    public async Task Offline_refuses_connections_and_online_again_prints_on_the_same_port()
    {
        await using var printer = PrinterSimulator.Start();
        var port = printer.Port;

        printer.SetOnline(false);
        await Assert.ThrowsAnyAsync<SocketException>(() => SendAsync(port, [1]));

        printer.SetOnline(true);
        Assert.Equal(port, printer.Port);
        await SendAsync(port, Encoding.UTF8.GetBytes("^XA^FO1,1^A0N,20,20^FDback^FS^XZ"));
        Assert.Equal("back", (await printer.WaitForLabelsAsync(1, TimeSpan.FromSeconds(10)))[0].AllText);
    }

    private static async Task SendAsync(int port, byte[] data)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await client.GetStream().WriteAsync(data);
    }
}

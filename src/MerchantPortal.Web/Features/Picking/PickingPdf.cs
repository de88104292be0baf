using MerchantPortal.Web.Features.Waybills.Labels;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MerchantPortal.Web.Features.Picking;

/// <summary>
/// Drawing helpers the pick list and packing slips share: millimetre pages, the labels' bundled CJK font (Chinese on
/// purpose: warehouse staff and the buyer read these, as they read the labels and the handover list), text cut to a
/// width, and Code 128 drawn as vector bars.
/// </summary>
internal static class PickingPdf
{
    public const double A4Width = 210;
    public const double A4Height = 297;

    /// <summary>Drawing is in millimetres, so font sizes are too (5 mm ≈ 14 pt, 3.2 mm ≈ 9 pt).</summary>
    public static XFont Font(double sizeMm, bool bold = false)
    {
        LabelFontResolver.EnsureRegistered();
        return new XFont(LabelFontResolver.FamilyName, sizeMm, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, XPdfFontOptions.UnicodeDefault);
    }

    public static (PdfPage Page, XGraphics G) AddPage(PdfDocument document, double widthMm, double heightMm)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(widthMm);
        page.Height = XUnit.FromMillimeter(heightMm);
        return (page, XGraphics.FromPdfPage(page, XGraphicsUnit.Millimeter));
    }

    /// <summary>The text, shortened with "…" until it fits <paramref name="width"/> millimetres.</summary>
    public static string Fit(XGraphics g, string text, XFont font, double width)
    {
        if (g.MeasureString(text, font).Width <= width)
        {
            return text;
        }
        var length = text.Length;
        while (length > 1 && g.MeasureString(string.Concat(text.AsSpan(0, length), "…"), font).Width > width)
        {
            length--;
        }
        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>
    /// Code 128 of <paramref name="content"/> right-aligned at <paramref name="right"/>, modules of 0.25–0.4 mm (a laser
    /// or thermal printer and a handheld scanner both manage 0.25 mm), at most <paramref name="maxWidth"/> wide.
    /// </summary>
    public static void Barcode(XGraphics g, string content, double right, double top, double maxWidth, double height)
    {
        var symbol = Code128.Encode(content);
        var module = Math.Clamp(maxWidth / symbol.Modules, 0.25, 0.4);
        var left = right - (symbol.Modules * module);
        g.DrawRectangles(XBrushes.Black, [.. symbol.Bars.Select(b => new XRect(left + (b.Start * module), top, b.Width * module, height))]);
    }

    public static byte[] Save(PdfDocument document)
    {
        using var buffer = new MemoryStream();
        document.Save(buffer, false);
        return buffer.ToArray();
    }
}

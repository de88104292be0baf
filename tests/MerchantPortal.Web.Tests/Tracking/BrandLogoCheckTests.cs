using System.Text;
using MerchantPortal.Web.Features.Tracking;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>A logo's type comes from its bytes; an SVG that could run or load anything is refused.</summary>
public class BrandLogoCheckTests
{
    internal static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    internal const string PlainSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#e53935\"/></svg>";
    internal const string ScriptSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

    [Fact]
    public void Png_jpeg_and_plain_svg_are_accepted_by_their_content()
    {
        Assert.Equal(("image/png", (LogoProblem?)null), BrandLogos.Inspect(Png));
        Assert.Equal(("image/jpeg", (LogoProblem?)null), BrandLogos.Inspect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, .. "JFIF"u8]));
        Assert.Equal(("image/svg+xml", (LogoProblem?)null), BrandLogos.Inspect(Encoding.UTF8.GetBytes(PlainSvg)));
        Assert.Equal(("image/svg+xml", (LogoProblem?)null), BrandLogos.Inspect(Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><linearGradient id=\"g\"/></defs><use xlink:href=\"#g\"/></svg>")));
    }

    [Theory]
    [InlineData(ScriptSvg)]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\"><rect/></a></svg>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"https://evil.example/x.png\"/></svg>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>")]
    public void An_svg_that_could_run_or_load_something_is_refused_as_such(string svg) =>
        Assert.Equal(LogoProblem.SvgWithScript, BrandLogos.Inspect(Encoding.UTF8.GetBytes(svg)).Problem);

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000")]
    [InlineData("just some text named logo.png")]
    [InlineData("<html><body><script>alert(1)</script></body></html>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x \"y\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>")]
    public void Anything_else_is_not_an_image_whatever_its_name(string content) =>
        Assert.Equal(LogoProblem.NotAnImage, BrandLogos.Inspect(Encoding.UTF8.GetBytes(content)).Problem);

    [Fact]
    public void An_empty_file_and_one_over_512_KB_are_refused_and_512_KB_exactly_is_not()
    {
        Assert.Equal(LogoProblem.Empty, BrandLogos.Inspect([]).Problem);
        Assert.Equal(LogoProblem.TooLarge, BrandLogos.Inspect(Padded(BrandLogos.MaxBytes + 1)).Problem);
        Assert.Null(BrandLogos.Inspect(Padded(BrandLogos.MaxBytes)).Problem);
    }

    internal static byte[] Padded(int length)
    {
        var bytes = new byte[length];
        Png.CopyTo(bytes, 0);
        return bytes;
    }
}

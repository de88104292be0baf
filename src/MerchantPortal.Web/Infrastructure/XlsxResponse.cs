using MiniExcelLibs;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>Writes an XLSX workbook (one sheet, or named sheets as a dictionary) to the response.</summary>
public static class XlsxResponse
{
    public static async Task WriteAsync(HttpContext http, object sheets, CancellationToken ct)
    {
        // MiniExcel needs a seekable stream (the zip's central directory is written last): build the workbook in a temp
        // file, then copy it to the response, instead of buffering a large export in memory.
        var temp = Path.GetTempFileName();
        try
        {
            await MiniExcel.SaveAsAsync(temp, sheets, excelType: ExcelType.XLSX, overwriteFile: true, cancellationToken: ct);
            await using var file = File.OpenRead(temp);
            await file.CopyToAsync(http.Response.Body, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

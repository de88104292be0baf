namespace MerchantPortal.Web.Tests.Infrastructure;

public static class DatabaseFiles
{
    /// <summary>
    /// The bytes of the portal's SQLite database including its write-ahead log: under WAL the newest rows may
    /// not have reached the main file yet, and a scan of portal.db alone would miss them.
    /// </summary>
    public static async Task<byte[]> ReadAllBytesAsync(string dataDirectory)
    {
        using var all = new MemoryStream();
        foreach (var name in new[] { "portal.db", "portal.db-wal" })
        {
            var path = Path.Combine(dataDirectory, name);
            if (File.Exists(path))
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                await file.CopyToAsync(all);
            }
        }
        return all.ToArray();
    }
}

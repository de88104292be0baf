using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;

namespace MerchantPortal.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (embedded default), SqlServer (production) or PostgreSql (production, several writers).</summary>
    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "Database:Provider is Sqlite, SqlServer or PostgreSql.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite files (portal.db, hangfire.db), relative to the content root.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Database:DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>The server's connection string (SQL Server, PostgreSQL); for SQLite an optional override of the file path.</summary>
    public string? ConnectionString { get; set; }

    public string ResolveDataDirectory(string contentRoot)
    {
        var dir = Path.GetFullPath(Path.Combine(contentRoot, DataDirectory));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public string SqliteConnectionString(string contentRoot) =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? ConnectionString
            : new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(ResolveDataDirectory(contentRoot), "portal.db"),
                Pooling = true,
                // Microsoft.Data.Sqlite retries SQLITE_BUSY until this many seconds have passed.
                DefaultTimeout = 30,
            }.ToString();
}

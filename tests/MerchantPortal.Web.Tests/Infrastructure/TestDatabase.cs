using MerchantPortal.Web.Infrastructure;
using Npgsql;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// The engine the test portals run on, chosen by one environment variable so the same tests run on each:
/// <c>PORTAL_TEST_DATABASE</c> = Sqlite (default), PostgreSql or SqlServer, and for a server
/// <c>PORTAL_TEST_CONNECTION</c> = a connection string whose login may create databases. Each portal gets its own
/// database on that server, named after its data folder, so two factories given the same folder (restarts, two
/// instances) share one database exactly as they share the SQLite files. `./portal test` starts a throwaway
/// PostgreSQL cluster and runs the tests marked <see cref="ServerTrait"/> on it (README: "Server databases").
/// </summary>
public static class TestDatabase
{
    public const string ProviderVariable = "PORTAL_TEST_DATABASE";
    public const string ConnectionVariable = "PORTAL_TEST_CONNECTION";

    /// <summary>Tests whose outcome depends on the engine (races, raw SQL, migrations, locks): <c>[Trait("Database", "Server")]</c>.</summary>
    public const string ServerTrait = "Server";

    public static DatabaseProvider Provider { get; } =
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable(ProviderVariable), ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;

    public static bool IsServer => Provider != DatabaseProvider.Sqlite;

    /// <summary>The portal's database settings for a test portal whose files live in <paramref name="dataDirectory"/>.</summary>
    public static Dictionary<string, string?> SettingsFor(string dataDirectory)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["Database:DataDirectory"] = dataDirectory,
        };
        if (IsServer)
        {
            settings["Database:ConnectionString"] = ConnectionStringFor(dataDirectory);
        }
        return settings;
    }

    /// <summary>The connection string of the database that belongs to <paramref name="dataDirectory"/>, created if missing.</summary>
    public static string ConnectionStringFor(string dataDirectory)
    {
        var server = Environment.GetEnvironmentVariable(ConnectionVariable)
            ?? throw new InvalidOperationException($"{ProviderVariable}={Provider} needs {ConnectionVariable}: a connection string whose login may create databases.");
        var name = "portal_" + new string(Path.GetFileName(Path.TrimEndingDirectorySeparator(dataDirectory)).Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return Provider switch
        {
            DatabaseProvider.PostgreSql => PostgreSql(server, name),
            DatabaseProvider.SqlServer => SqlServer(server, name),
            _ => throw new InvalidOperationException(Provider.ToString()),
        };
    }

    private static readonly Lock Creating = new();

    private static string PostgreSql(string server, string name)
    {
        // Npgsql reads its switches once, at its first use; this may be before the portal's own setup sets it.
        MerchantPortal.Web.Data.PostgreSqlTimestamps.Use();
        lock (Creating)
        {
            using var admin = new NpgsqlConnection(server);
            OpenWhenReady(admin);
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if (exists.ExecuteScalar() is null)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                create.ExecuteNonQuery();
            }
        }
        // Several portals and their Hangfire servers share one throwaway cluster: small pools leave room for all of them.
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    private static string SqlServer(string server, string name)
    {
        lock (Creating)
        {
            using var admin = new Microsoft.Data.SqlClient.SqlConnection(server);
            OpenWhenReady(admin);
            using var create = new Microsoft.Data.SqlClient.SqlCommand("DECLARE @sql nvarchar(400) = N'CREATE DATABASE ' + QUOTENAME(@name); IF DB_ID(@name) IS NULL EXEC sp_executesql @sql", admin);
            create.Parameters.AddWithValue("@name", name);
            create.ExecuteNonQuery();
        }
        return new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    /// <summary>
    /// A server started just before the tests (a CI service container, a cluster) may still refuse logins for a few
    /// seconds after its port opens; the first connection waits for it, up to a minute, then says why it failed.
    /// </summary>
    private static void OpenWhenReady(System.Data.Common.DbConnection connection)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                connection.Open();
                return;
            }
            catch (System.Data.Common.DbException) when (DateTime.UtcNow < deadline)
            {
                // Poll interval while the server starts, not a fixed wait: the loop ends as soon as it accepts.
                Thread.Sleep(500);
            }
        }
    }
}

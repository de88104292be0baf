using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace MerchantPortal.Web.Tests.Foundation;

public class MigrationTests
{
    /// <summary>Contexts are built through the app's own registration: Identity's model depends on its options.</summary>
    private static PortalDbContext CreateContext(DatabaseProvider provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:DataDirectory"] = TempDirectory.Create("migrations"),
            ["Database:ConnectionString"] = provider switch
            {
                DatabaseProvider.SqlServer => "Server=127.0.0.1;Database=None;User Id=sa;Password=x;TrustServerCertificate=True",
                DatabaseProvider.PostgreSql => "Host=127.0.0.1;Database=none;Username=none",
                _ => null,
            },
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPortalData(configuration, Path.GetTempPath());
        return services.BuildServiceProvider().GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void The_model_has_no_changes_missing_from_the_providers_migrations(DatabaseProvider provider)
    {
        using var db = CreateContext(provider);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: the model has changes that no migration captures. Add a migration for this provider.");
    }

    [Fact]
    public void The_idempotent_SQL_Server_script_parses_without_errors()
    {
        using var db = CreateContext(DatabaseProvider.SqlServer);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script);

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));

        var counter = new StatementCounter();
        fragment.Accept(counter);
        Assert.True(counter.CreateTables >= 8, $"Expected the Identity and portal tables, found {counter.CreateTables} CREATE TABLE statements.");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void Both_providers_allow_the_user_transactions_the_portal_writes_with(DatabaseProvider provider)
    {
        // A retrying execution strategy throws on BeginTransaction (outside ExecuteAsync) at the first command.
        using var db = CreateContext(provider);
        Assert.False(db.Database.CreateExecutionStrategy().RetriesOnFailure, $"{provider}: a retrying execution strategy refuses user-initiated transactions");
    }

    [Fact]
    public void Migrations_of_the_three_providers_are_separate_sets_of_the_same_changes()
    {
        using var sqlite = CreateContext(DatabaseProvider.Sqlite);
        using var sqlServer = CreateContext(DatabaseProvider.SqlServer);
        using var postgres = CreateContext(DatabaseProvider.PostgreSql);
        Assert.IsType<SqlitePortalDbContext>(sqlite);
        Assert.IsType<SqlServerPortalDbContext>(sqlServer);
        Assert.IsType<PostgreSqlPortalDbContext>(postgres);
        static List<string> Names(PortalDbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]).ToList();
        Assert.Equal(Names(sqlite), Names(sqlServer));
        Assert.Equal(Names(sqlite), Names(postgres));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void Each_later_migration_is_named_after_its_model_change_and_the_first_is_Initial(DatabaseProvider provider)
    {
        using var db = CreateContext(provider);
        var names = db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]).ToList();
        Assert.Equal("Initial", names[0]);
        // Names of when or by whom a change was made say nothing about the schema.
        var historyNamed = names.Where(n => System.Text.RegularExpressions.Regex.IsMatch(n, "^(Session|Issue|Sprint|Round|Features$|SharedHooks$|Hardening$|Fixes?$|Update[0-9]*$)")).ToList();
        Assert.True(historyNamed.Count == 0, "migrations named after the work, not the model: " + string.Join(", ", historyNamed));
    }

    [Fact]
    public async Task A_database_with_migrations_this_build_does_not_know_stops_start_up_and_says_what_to_do()
    {
        var folder = TempDirectory.Create("old-history");
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = "CREATE TABLE \"__EFMigrationsHistory\" (MigrationId TEXT PRIMARY KEY, ProductVersion TEXT NOT NULL);" +
                                 "INSERT INTO \"__EFMigrationsHistory\" VALUES ('20261128173702_Orders', '10.0.0');";
            await create.ExecuteNonQueryAsync();
        }
        await using var portal = new PortalFactory(folder);

        var refused = Assert.ThrowsAny<Exception>(() => portal.Start());

        var message = string.Join(" | ", Flatten(refused).Select(e => e.Message));
        Assert.Contains("made by another build", message, StringComparison.Ordinal);
        Assert.Contains("20261128173702_Orders", message, StringComparison.Ordinal);
        Assert.Contains("App_Data/portal.db", message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
            {
                foreach (var inner in a.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    private sealed class StatementCounter : TSqlFragmentVisitor
    {
        public int CreateTables { get; private set; }

        public override void Visit(CreateTableStatement node) => CreateTables++;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace MerchantPortal.Web.Data;

/// <summary>
/// The few statements the portal writes by hand (bulk inserts, where change tracking costs seconds) run unchanged on
/// SQLite, SQL Server and PostgreSQL: identifiers are double-quoted (standard SQL; SQLite reads it, SQL Server does
/// with QUOTED_IDENTIFIER ON, which SqlClient sets on every connection, and PostgreSQL needs it for EF's mixed-case
/// names), parameters are <c>@name</c> (all three ADO.NET providers bind it). The one real difference is how an
/// insert hands back its new identity.
/// </summary>
public static class RawSql
{
    public static string Quote(string identifier) => "\"" + identifier + "\"";

    public static string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(Quote));

    public static string ParameterList(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => "@" + c));

    /// <summary><c>INSERT INTO "Table" ("A", "B") [OUTPUT INSERTED."Id"] VALUES (@A, @B) [RETURNING "Id"]</c>.</summary>
    public static string InsertReturningId(DatabaseFacade database, string table, IReadOnlyList<string> columns)
    {
        var sqlServer = database.IsSqlServer();
        return $"INSERT INTO {Quote(table)} ({ColumnList(columns)})" + (sqlServer ? " OUTPUT INSERTED.\"Id\"" : "")
            + $" VALUES ({ParameterList(columns)})" + (sqlServer ? "" : " RETURNING \"Id\"");
    }

    /// <summary><c>INSERT INTO "Table" ("A", "B") VALUES (@A, @B)</c>.</summary>
    public static string Insert(string table, IReadOnlyList<string> columns) =>
        $"INSERT INTO {Quote(table)} ({ColumnList(columns)}) VALUES ({ParameterList(columns)})";
}

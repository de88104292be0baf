using MerchantPortal.Web.Features.Kpis;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// SQL Server cannot run here; the rollup's hand-written statement is checked by T-SQL's own parser so the SQL
/// Server path is at least valid T-SQL naming the real table and columns. SQLite runs it in every rollup test.
/// </summary>
public class KpiRollupSqlTests
{
    [Fact]
    public void The_rollup_insert_is_valid_T_SQL_naming_every_column_of_the_rollup_row()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(KpiRollup.InsertSql);
        var fragment = (TSqlScript)parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
        var insert = Assert.IsType<InsertStatement>(Assert.Single(Assert.Single(fragment.Batches).Statements));
        Assert.Equal("KpiDaily", ((NamedTableReference)insert.InsertSpecification.Target).SchemaObject.BaseIdentifier.Value);
        var columns = insert.InsertSpecification.Columns.Select(c => c.MultiPartIdentifier.Identifiers[^1].Value).ToList();
        var mapped = typeof(KpiDaily).GetProperties().Select(p => p.Name).Where(n => n != nameof(KpiDaily.Id)).Order(StringComparer.Ordinal);
        Assert.Equal(mapped, columns.Order(StringComparer.Ordinal));
        var values = Assert.Single(((ValuesInsertSource)insert.InsertSpecification.InsertSource).RowValues).ColumnValues;
        Assert.Equal(columns.Count, values.Count);
    }
}

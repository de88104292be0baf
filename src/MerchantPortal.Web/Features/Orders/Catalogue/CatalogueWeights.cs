using System.Data.Common;
using System.Globalization;
using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>
/// Orders whose lines come without a weight (every platform export, most API pushes) take it from the SKU catalogue
/// (商品资料): catalogue weight × quantity per line, the order's total following, so they pass the waybill pre-flight's
/// weight check instead of all stopping there. A weight the order brought is never replaced. An order without a
/// warehouse takes the catalogue's default warehouse when all its SKUs name the same one.
/// </summary>
public static class CatalogueWeights
{
    /// <summary>
    /// The import's form (P2: set-based, three statements per chunk whatever its size, inside the chunk's transaction).
    /// Plain SQL in the <see cref="RawSql"/> dialect all three providers read. Two things keep it provider-neutral:
    /// SQLite keeps decimals as TEXT, so a comparison with a number is made numeric by adding 0 (in SQLite '0.0' = 0 is
    /// a text comparison and false; + 0 is a no-op elsewhere); and the ids are written as integer literals, not
    /// parameters, because a chunk of 1,000 orders would approach SQL Server's 2,100-parameter limit (they are longs
    /// formatted invariantly, never text from a file). The totals are recomputed from the lines in the database, so an
    /// order whose lines span two chunks is right after the second.
    /// </summary>
    public static async Task FillAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> orderIds, CancellationToken ct)
    {
        if (orderIds.Count == 0)
        {
            return;
        }
        var ids = string.Join(", ", orderIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        string[] statements =
        [
            // Lines without a weight whose SKU the catalogue weighs.
            $"""
            UPDATE "OrderLines" SET "WeightKg" = ROUND((SELECT c."WeightKg" FROM "CatalogueSkus" c WHERE c."Sku" = "OrderLines"."Sku") * "Quantity", 3)
            WHERE "OrderId" IN ({ids}) AND "WeightKg" + 0 = 0
              AND EXISTS (SELECT 1 FROM "CatalogueSkus" c WHERE c."Sku" = "OrderLines"."Sku" AND c."WeightKg" + 0 > 0)
            """,
            // Their orders' totals, from all their lines.
            $"""
            UPDATE "Orders" SET "TotalWeightKg" = ROUND((SELECT COALESCE(SUM(l."WeightKg" + 0), 0) FROM "OrderLines" l WHERE l."OrderId" = "Orders"."Id"), 3)
            WHERE "Id" IN ({ids})
              AND EXISTS (SELECT 1 FROM "OrderLines" l INNER JOIN "CatalogueSkus" c ON c."Sku" = l."Sku" WHERE l."OrderId" = "Orders"."Id" AND c."WeightKg" + 0 > 0)
            """,
            // The warehouse, when the order has none and every line's SKU names the same one.
            $"""
            UPDATE "Orders" SET "WarehouseId" = (SELECT MIN(c."WarehouseId") FROM "OrderLines" l INNER JOIN "CatalogueSkus" c ON c."Sku" = l."Sku" WHERE l."OrderId" = "Orders"."Id")
            WHERE "Id" IN ({ids}) AND "WarehouseId" IS NULL
              AND (SELECT COUNT(DISTINCT c."WarehouseId") FROM "OrderLines" l INNER JOIN "CatalogueSkus" c ON c."Sku" = l."Sku" WHERE l."OrderId" = "Orders"."Id") = 1
              AND NOT EXISTS (SELECT 1 FROM "OrderLines" l LEFT JOIN "CatalogueSkus" c ON c."Sku" = l."Sku" WHERE l."OrderId" = "Orders"."Id" AND c."WarehouseId" IS NULL)
            """,
        ];
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The API's form, before the order is written: lines without a weight take catalogue weight × quantity; the
    /// warehouse is the catalogue's when every line's SKU names the same one.
    /// </summary>
    public static async Task<(IReadOnlyList<NewOrderLine> Lines, int? WarehouseId)> ApplyAsync(PortalDbContext db, IReadOnlyList<NewOrderLine> lines, CancellationToken ct)
    {
        var skus = lines.Where(l => !string.IsNullOrWhiteSpace(l.Sku)).Select(l => l.Sku!).Distinct(StringComparer.Ordinal).ToList();
        if (skus.Count == 0)
        {
            return (lines, null);
        }
        var catalogue = await db.Set<CatalogueSku>().AsNoTracking().Where(c => skus.Contains(c.Sku))
            .Select(c => new { c.Sku, c.WeightKg, c.WarehouseId }).ToDictionaryAsync(c => c.Sku, StringComparer.Ordinal, ct);
        var filled = lines.Select(l => l.WeightKg == 0 && l.Sku is { } sku && catalogue.TryGetValue(sku, out var c) && c.WeightKg > 0
            ? l with { WeightKg = Math.Round(c.WeightKg * l.Quantity, 3) }
            : l).ToList();
        var warehouses = lines.Select(l => l.Sku is { } sku && catalogue.TryGetValue(sku, out var c) ? c.WarehouseId : null).Distinct().ToList();
        return (filled, warehouses is [{ } only] ? only : null);
    }
}

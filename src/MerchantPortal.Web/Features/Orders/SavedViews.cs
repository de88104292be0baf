using MerchantPortal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>A user's named order-list view: the list's query string (filters and sort), nothing else.</summary>
public sealed class SavedOrderView
{
    public int Id { get; set; }
    public required string UserName { get; set; }
    public required string Name { get; set; }
    public required string Query { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class SavedOrderViewConfiguration : IEntityTypeConfiguration<SavedOrderView>
{
    public void Configure(EntityTypeBuilder<SavedOrderView> b)
    {
        b.ToTable("SavedOrderViews");
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Query).HasMaxLength(1000);
        b.HasIndex(x => new { x.UserName, x.Name }).IsUnique();
    }
}

public sealed record SavedView(int Id, string Name, string Query);

/// <summary>Saved views per user; saving a name again replaces that view.</summary>
public sealed class SavedViewService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<SavedView>> ListAsync(string userName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<SavedOrderView>().AsNoTracking().Where(v => v.UserName == userName).OrderBy(v => v.Name)
            .Select(v => new SavedView(v.Id, v.Name, v.Query)).ToListAsync(ct);
    }

    public async Task SaveAsync(string userName, string name, string query, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100 || query.Length > 1000)
        {
            throw new ArgumentException("A view needs a name of 1–100 characters.", nameof(name));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await db.Set<SavedOrderView>().SingleOrDefaultAsync(v => v.UserName == userName && v.Name == name, ct);
        if (view is null)
        {
            db.Add(new SavedOrderView { UserName = userName, Name = name, Query = query, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            view.Query = query;
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteAsync(string userName, int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<SavedOrderView>().Where(v => v.Id == id && v.UserName == userName).ExecuteDeleteAsync(ct);
    }
}

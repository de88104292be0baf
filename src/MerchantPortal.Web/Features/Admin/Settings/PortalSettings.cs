using System.Collections.Concurrent;
using System.Text.Json;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantPortal.Web.Features.Admin.Settings;

/// <summary>One merchant setting. Keys are dotted and owned by a feature ("tracking.brandName").</summary>
public sealed class PortalSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class PortalSettingConfiguration : IEntityTypeConfiguration<PortalSetting>
{
    public void Configure(EntityTypeBuilder<PortalSetting> b)
    {
        b.ToTable("PortalSettings");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.Value).HasMaxLength(4000);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
    }
}

/// <summary>
/// Settings Admin changes at run time (not configuration files: those need a restart and a deploy). Values are JSON.
/// Reads are cached for a few seconds per instance: settings change rarely, are read on hot paths (every approval,
/// every public tracking page), and another instance's change is seen within <see cref="CacheFor"/>.
/// </summary>
public sealed class PortalSettings(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    public const int MaxValueLength = 4000;

    private readonly ConcurrentDictionary<string, (string? Value, DateTime ReadAtUtc)> cache = new(StringComparer.Ordinal);

    public async Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (cache.TryGetValue(key, out var hit) && now - hit.ReadAtUtc < CacheFor)
        {
            return hit.Value;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var value = await db.Set<PortalSetting>().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct);
        cache[key] = (value, now);
        return value;
    }

    /// <summary>The stored value, or <paramref name="fallback"/> when unset or unreadable (a value written by an older version).</summary>
    public async Task<T> GetAsync<T>(string key, T fallback, CancellationToken ct = default)
    {
        var json = await GetAsync(key, ct);
        if (json is null)
        {
            return fallback;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(json) ?? fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    /// <summary>
    /// The stored value of <paramref name="key"/>, storing <paramref name="value"/> first when there is none (a value
    /// the portal makes for itself, such as a signing key). Two instances at the same moment both get the one stored.
    /// </summary>
    public async Task<string> GetOrAddAsync(string key, string value, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<PortalSetting>().AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct) is { } stored)
        {
            return stored;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.Add(new PortalSetting { Key = key, Value = value, UpdatedAtUtc = now, UpdatedBy = actor });
        db.Audit(now, actor, "setting.changed", "PortalSetting", key);
        try
        {
            await db.SaveChangesAsync(ct);
            return value;
        }
        catch (DbUpdateException)
        {
            // Another instance stored it at the same moment: theirs holds.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return await again.Set<PortalSetting>().AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync(ct);
        }
    }

    public async Task SetAsync<T>(string key, T value, string actor, CancellationToken ct = default)
    {
        var json = JsonSerializer.Serialize(value);
        if (json.Length > MaxValueLength)
        {
            throw new ArgumentException($"The value of setting {key} is longer than {MaxValueLength} characters.", nameof(value));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<PortalSetting>().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is null)
        {
            db.Add(new PortalSetting { Key = key, Value = json, UpdatedAtUtc = now, UpdatedBy = actor });
        }
        else
        {
            row.Value = json;
            row.UpdatedAtUtc = now;
            row.UpdatedBy = actor;
        }
        db.Audit(now, actor, "setting.changed", "PortalSetting", key);
        await db.SaveChangesAsync(ct);
        cache[key] = (json, now);
    }
}

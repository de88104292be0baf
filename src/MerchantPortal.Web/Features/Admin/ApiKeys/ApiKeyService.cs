using System.Security.Cryptography;
using System.Text;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Admin.ApiKeys;

public sealed record ApiKeyCreated(int Id, string Name, string Key, IReadOnlyList<string> Scopes);

public sealed record ApiKeyRow(int Id, string Name, string Prefix, string Scopes, DateTime CreatedAtUtc, string CreatedBy, DateTime? LastUsedAtUtc, DateTime? RevokedAtUtc);

public sealed record ApiKeyIdentity(int Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>Creates, lists, revokes and verifies API keys.</summary>
public sealed class ApiKeyService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int PrefixLength = 12;
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyz23456789";

    public async Task<ApiKeyCreated> CreateAsync(string name, IEnumerable<string> scopes, string actor, CancellationToken ct = default)
    {
        var scopeList = NormalizeScopes(scopes);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A key needs a name of 1 to 100 characters.", nameof(name));
        }
        var key = $"mpk_{RandomString(8)}_{RandomString(40)}";
        var id = await StoreAsync(name.Trim(), key, scopeList, actor, ct);
        return new ApiKeyCreated(id, name.Trim(), key, scopeList);
    }

    /// <summary>Registers a key whose value comes from configuration (the Development demo key). Idempotent.</summary>
    public async Task EnsureKeyAsync(string name, string key, IEnumerable<string> scopes, string actor, CancellationToken ct = default)
    {
        if (key.Length < PrefixLength + 12)
        {
            throw new InvalidOperationException($"The configured API key for '{name}' is too short: use at least {PrefixLength + 12} characters.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prefix = key[..PrefixLength];
        var scopeList = NormalizeScopes(scopes);
        var existing = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (existing is null)
        {
            await StoreAsync(name, key, scopeList, actor, ct);
            return;
        }
        // A configured key follows its configuration: when a release adds a scope (freight:write did), a database made
        // by an earlier version would otherwise keep the old scopes and answer 403 to the demo key. A revoked key stays
        // revoked.
        var configured = string.Join(' ', scopeList);
        if (existing.RevokedAtUtc is null && existing.Scopes != configured)
        {
            existing.Scopes = configured;
            await db.SaveChangesAsync(ct);
        }
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<ApiKey>().OrderByDescending(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAtUtc, k.CreatedBy, k.LastUsedAtUtc, k.RevokedAtUtc))
            .ToListAsync(ct);
    }

    public async Task<bool> RevokeAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null || key.RevokedAtUtc is not null)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        key.RevokedAtUtc = now;
        db.Audit(now, actor, "ApiKey.Revoked", nameof(ApiKey), id.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Finds the key's row by prefix and compares hashes in constant time.</summary>
    public async Task<ApiKeyIdentity?> VerifyAsync(string presented, CancellationToken ct = default)
    {
        if (presented.Length < PrefixLength + 12 || presented.Length > 200)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prefix = presented[..PrefixLength];
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        var hash = Hash(presented);
        // Compare even when no row was found, so timing does not tell whether a prefix exists.
        var stored = key?.Hash ?? new byte[hash.Length];
        if (!CryptographicOperations.FixedTimeEquals(stored, hash) || key is null || key.RevokedAtUtc is not null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // One write a minute at most per key: a busy integration must not turn every read into a write.
        if (key.LastUsedAtUtc is null || now - key.LastUsedAtUtc > TimeSpan.FromMinutes(1))
        {
            key.LastUsedAtUtc = now;
            await db.SaveChangesAsync(ct);
        }
        return new ApiKeyIdentity(key.Id, key.Name, key.ScopeList);
    }

    private async Task<int> StoreAsync(string name, string key, IReadOnlyList<string> scopes, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var entity = new ApiKey
        {
            Name = name,
            Prefix = key[..PrefixLength],
            Hash = Hash(key),
            Scopes = string.Join(' ', scopes),
            CreatedAtUtc = now,
            CreatedBy = actor,
        };
        db.Add(entity);
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, "ApiKey.Created", nameof(ApiKey), entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{name} [{entity.Scopes}]");
        await db.SaveChangesAsync(ct);
        return entity.Id;
    }

    private static IReadOnlyList<string> NormalizeScopes(IEnumerable<string> scopes)
    {
        var list = scopes.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var unknown = list.Where(s => !ApiScopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scope(s): {string.Join(", ", unknown)}.", nameof(scopes));
        }
        if (list.Count == 0)
        {
            throw new ArgumentException("A key needs at least one scope.", nameof(scopes));
        }
        return list;
    }

    internal static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string RandomString(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }
}

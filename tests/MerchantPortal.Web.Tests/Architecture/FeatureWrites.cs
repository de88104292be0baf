using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Architecture;

/// <summary>One place where code of <see cref="Feature"/> writes an entity that <see cref="Owner"/> owns.</summary>
public sealed record ForeignWrite(string Feature, string Owner, string Entity, string Where, string How)
{
    public override string ToString() => $"{Where} ({Feature}) {How} {Entity}, owned by {Owner}";
}

/// <summary>
/// Reads the compiled portal: which feature owns which entity (the feature folder whose namespace holds the entity and
/// its EF configuration) and which methods write entities of another feature. A write is a property setter, a
/// constructor, an EF add/update/remove/attach, or an ExecuteUpdate/ExecuteDelete over the entity, found in the method
/// bodies' IL (lambdas and async state machines are nested types of the method's class, so they count for its feature).
/// </summary>
public static class FeatureWrites
{
    private const string FeaturesPrefix = "MerchantPortal.Web.Features.";

    private static readonly HashSet<string> WriteMethods =
    [
        "Add", "AddAsync", "AddRange", "AddRangeAsync", "Update", "UpdateRange", "Remove", "RemoveRange", "Attach", "AttachRange",
        "ExecuteUpdate", "ExecuteUpdateAsync", "ExecuteDelete", "ExecuteDeleteAsync",
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The feature a namespace belongs to ("Kpis" for MerchantPortal.Web.Features.Kpis.Freight), or null outside Features/.</summary>
    public static string? FeatureOf(string? ns) =>
        ns is not null && ns.StartsWith(FeaturesPrefix, StringComparison.Ordinal) ? ns[FeaturesPrefix.Length..].Split('.')[0] : null;

    /// <summary>Every entity with an EF configuration in a feature folder, and that feature.</summary>
    public static IReadOnlyDictionary<Type, string> Owners(Assembly assembly)
    {
        var owners = new Dictionary<Type, string>();
        foreach (var configuration in assembly.GetTypes())
        {
            foreach (var contract in configuration.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            {
                var entity = contract.GetGenericArguments()[0];
                if (FeatureOf(entity.Namespace) is { } owner)
                {
                    owners[entity] = owner;
                }
            }
        }
        return owners;
    }

    /// <summary>The writes in <paramref name="code"/> (the portal, or a planted sample) to entities <paramref name="owners"/> assigns to another feature.</summary>
    public static IReadOnlyList<ForeignWrite> Find(IEnumerable<Type> code, IReadOnlyDictionary<Type, string> owners)
    {
        var found = new List<ForeignWrite>();
        foreach (var type in code)
        {
            if (FeatureOf(type.Namespace) is not { } feature)
            {
                continue;
            }
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var (entity, how) in Writes(method, owners))
                {
                    if (owners[entity] != feature)
                    {
                        found.Add(new ForeignWrite(feature, owners[entity], entity.Name, Describe(method), how));
                    }
                }
            }
        }
        return found.Distinct().ToList();
    }

    private static string Describe(MethodBase method)
    {
        // Report the user's method, not the compiler's nested class: "WaybillBatchJob.<StoreAsync>d__12" → WaybillBatchJob.StoreAsync.
        var type = method.DeclaringType!;
        var name = method.Name;
        while (type.IsNested && type.Name.StartsWith('<'))
        {
            name = type.Name[1..type.Name.IndexOf('>')];
            type = type.DeclaringType!;
        }
        return $"{type.Name}.{(name.Length == 0 ? method.Name : name)}";
    }

    private static IEnumerable<(Type Entity, string How)> Writes(MethodBase method, IReadOnlyDictionary<Type, string> owners)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception)
        {
            yield break;
        }
        if (il is null)
        {
            yield break;
        }
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            var operandAt = at;
            at += OperandSize(code, il, at);
            if (code.OperandType is not (OperandType.InlineMethod or OperandType.InlineTok))
            {
                continue;
            }
            MemberInfo? member;
            try
            {
                member = module.ResolveMember(BitConverter.ToInt32(il, operandAt), typeArgs, methodArgs);
            }
            catch (Exception)
            {
                continue;
            }
            if (member is not MethodBase called)
            {
                continue;
            }
            var declaring = called.DeclaringType;
            if (called.IsSpecialName && called.Name.StartsWith("set_", StringComparison.Ordinal) && declaring is not null && owners.ContainsKey(declaring))
            {
                yield return (declaring, "sets " + called.Name[4..] + " of");
            }
            else if (called is ConstructorInfo && code == OpCodes.Newobj && declaring is not null && owners.ContainsKey(declaring))
            {
                yield return (declaring, "creates");
            }
            else if (WriteMethods.Contains(called.Name))
            {
                var candidates = (called.IsGenericMethod ? called.GetGenericArguments() : [])
                    .Concat(declaring is { IsGenericType: true } ? declaring.GetGenericArguments() : []);
                foreach (var entity in candidates.Where(owners.ContainsKey))
                {
                    yield return (entity, called.Name);
                }
            }
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (BitConverter.ToInt32(il, at) * 4),
        _ => 4,
    };
}

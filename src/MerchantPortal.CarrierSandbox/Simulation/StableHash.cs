using System.Text;

namespace MerchantPortal.CarrierSandbox.Simulation;

/// <summary>
/// FNV-1a 64: string.GetHashCode is randomised per process, and journeys must be the same after a restart
/// (they are never stored, only recomputed).
/// </summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    public static int Seed(string text)
    {
        var h = Of(text);
        return (int)(h ^ (h >> 32));
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// A transaction that lost a race on a server engine: PostgreSQL refuses a serializable transaction whose reads another
/// committed transaction changed (40001) or picks a deadlock victim (40P01); SQL Server picks a deadlock victim (1205)
/// or refuses a snapshot update conflict (3960). Nothing of the loser was saved, so the caller may run its whole
/// decision again: it re-reads and now sees the winner's change. SQLite never gets here: it has one writer at a time.
/// </summary>
public static class DatabaseRaces
{
    public static bool IsLostRace(Exception ex) => ex switch
    {
        DbUpdateException { InnerException: { } inner } => IsLostRace(inner),
        InvalidOperationException { InnerException: DbException inner } => IsLostRace(inner),
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 1205 or 3960,
        DbException db => db.SqlState is "40001" or "40P01",
        _ => false,
    };
}

using Microsoft.Data.Sqlite;

namespace MerchantPortal.CarrierSandbox.Storage;

public sealed record WaybillRow(
    string Merchant,
    string OrderCode,
    string ShipperCode,
    string LogisticCode,
    string KdnOrderCode,
    string OriginCity,
    string? OriginArea,
    string DestCity,
    string? DestArea,
    DateTimeOffset IssuedUtc,
    string RequestNumber,
    string OrderJson,
    string PrintTemplate);

public sealed record PickupRow(
    string Merchant,
    string OrderCode,
    string RequestType,
    string ShipperCode,
    string LogisticCode,
    string PickupCode,
    string OriginCity,
    string? OriginArea,
    string DestCity,
    string? DestArea,
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    DateTimeOffset BookedUtc,
    string RequestNumber);

public sealed record SubscriptionRow(
    long Id,
    string Merchant,
    string RequestType,
    string ShipperCode,
    string LogisticCode,
    string? OrderCode,
    string? Callback,
    int PushedCount,
    int Attempts,
    DateTimeOffset NextAttemptUtc);

public sealed record SandboxStats(
    long WaybillsIssued,
    long WaybillsCancelled,
    long PickupsBooked,
    long Subscriptions,
    long PushesSent,
    long PushesFailed,
    IReadOnlyDictionary<string, long> CallsByRequestType);

/// <summary>
/// The sandbox's state in SQLite (Microsoft.Data.Sqlite, no EF): one table per concept. A file survives restarts;
/// without one an in-memory shared-cache database lives as long as this object. One connection guarded by a lock:
/// the sandbox is a single process and the lock keeps the "insert then read back" steps free of busy retries.
/// </summary>
public sealed class SandboxStore : IDisposable
{
    public const string WaybillKind = "waybill";
    public const string PickupKind = "pickup";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public SandboxStore(string? dataFile)
    {
        var builder = new SqliteConnectionStringBuilder();
        if (string.IsNullOrWhiteSpace(dataFile))
        {
            builder.DataSource = $"carrier-sandbox-{Guid.NewGuid():N}";
            builder.Mode = SqliteOpenMode.Memory;
            builder.Cache = SqliteCacheMode.Shared;
        }
        else
        {
            var full = Path.GetFullPath(dataFile);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
            builder.Pooling = false;
        }

        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        if (!string.IsNullOrWhiteSpace(dataFile))
        {
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=NORMAL;");
        }

        Execute("""
            CREATE TABLE IF NOT EXISTS waybills(
                merchant TEXT NOT NULL, order_code TEXT NOT NULL, shipper_code TEXT NOT NULL, logistic_code TEXT NOT NULL,
                kdn_order_code TEXT NOT NULL, origin_city TEXT NOT NULL, origin_area TEXT, dest_city TEXT NOT NULL, dest_area TEXT,
                issued_utc INTEGER NOT NULL, request_number TEXT NOT NULL, order_json TEXT NOT NULL, print_template TEXT NOT NULL,
                PRIMARY KEY(merchant, order_code));
            CREATE UNIQUE INDEX IF NOT EXISTS ux_waybills_logistic ON waybills(logistic_code);
            CREATE TABLE IF NOT EXISTS cancellations(
                kind TEXT NOT NULL, merchant TEXT NOT NULL, order_code TEXT NOT NULL, logistic_code TEXT, cancelled_utc INTEGER NOT NULL, reason TEXT,
                PRIMARY KEY(kind, merchant, order_code));
            CREATE TABLE IF NOT EXISTS pickups(
                merchant TEXT NOT NULL, order_code TEXT NOT NULL, request_type TEXT NOT NULL, shipper_code TEXT NOT NULL, logistic_code TEXT NOT NULL,
                pickup_code TEXT NOT NULL, origin_city TEXT NOT NULL, origin_area TEXT, dest_city TEXT NOT NULL, dest_area TEXT,
                window_start_utc INTEGER NOT NULL, window_end_utc INTEGER NOT NULL, booked_utc INTEGER NOT NULL, request_number TEXT NOT NULL,
                PRIMARY KEY(merchant, order_code));
            CREATE UNIQUE INDEX IF NOT EXISTS ux_pickups_logistic ON pickups(logistic_code);
            CREATE TABLE IF NOT EXISTS tracked_numbers(
                shipper_code TEXT NOT NULL, logistic_code TEXT NOT NULL, first_seen_utc INTEGER NOT NULL,
                PRIMARY KEY(shipper_code, logistic_code));
            CREATE TABLE IF NOT EXISTS subscriptions(
                id INTEGER PRIMARY KEY AUTOINCREMENT, merchant TEXT NOT NULL, request_type TEXT NOT NULL, shipper_code TEXT NOT NULL,
                logistic_code TEXT NOT NULL, order_code TEXT, callback TEXT, created_utc INTEGER NOT NULL,
                pushed_count INTEGER NOT NULL DEFAULT 0, final_pushed INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_utc INTEGER NOT NULL DEFAULT 0,
                UNIQUE(merchant, shipper_code, logistic_code));
            CREATE TABLE IF NOT EXISTS push_attempts(
                id INTEGER PRIMARY KEY AUTOINCREMENT, merchant TEXT NOT NULL, callback TEXT NOT NULL, request_type TEXT NOT NULL,
                attempted_utc INTEGER NOT NULL, item_count INTEGER NOT NULL, success INTEGER NOT NULL, detail TEXT);
            CREATE TABLE IF NOT EXISTS call_counters(request_type TEXT PRIMARY KEY, calls INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS clock(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
    }

    public DateTimeOffset? LoadSimulatedNow()
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT value FROM clock WHERE key = 'simulated_utc'");
            return cmd.ExecuteScalar() is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    public void SaveSimulatedNow(DateTimeOffset simulatedUtc)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO clock(key, value) VALUES('simulated_utc', $v) ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)");
            cmd.Parameters.AddWithValue("$v", simulatedUtc.UtcTicks);
            cmd.ExecuteNonQuery();
        }
    }

    public void CountCall(string requestType)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO call_counters(request_type, calls) VALUES($t, 1) ON CONFLICT(request_type) DO UPDATE SET calls = calls + 1");
            cmd.Parameters.AddWithValue("$t", requestType);
            cmd.ExecuteNonQuery();
        }
    }

    public WaybillRow? FindWaybill(string merchant, string orderCode) =>
        QueryOne("SELECT * FROM waybills WHERE merchant = $m AND order_code = $o", ReadWaybill, ("$m", merchant), ("$o", orderCode));

    public WaybillRow? FindWaybillByNumber(string logisticCode) =>
        QueryOne("SELECT * FROM waybills WHERE logistic_code = $l", ReadWaybill, ("$l", logisticCode));

    /// <summary>
    /// Atomic per (merchant, OrderCode): INSERT … ON CONFLICT DO NOTHING, then read back whichever row won.
    /// <c>Inserted</c> tells whether this call issued the number. A null row means the number collided with another
    /// order's; the caller draws a new one.
    /// </summary>
    public (WaybillRow? Row, bool Inserted) TryInsertWaybill(WaybillRow w)
    {
        lock (_gate)
        {
            using var cmd = Command("""
                INSERT INTO waybills(merchant, order_code, shipper_code, logistic_code, kdn_order_code, origin_city, origin_area, dest_city, dest_area,
                    issued_utc, request_number, order_json, print_template)
                VALUES($m, $o, $s, $l, $k, $oc, $oa, $dc, $da, $t, $r, $j, $p) ON CONFLICT DO NOTHING
                """);
            Bind(cmd, ("$m", w.Merchant), ("$o", w.OrderCode), ("$s", w.ShipperCode), ("$l", w.LogisticCode), ("$k", w.KdnOrderCode),
                ("$oc", w.OriginCity), ("$oa", w.OriginArea), ("$dc", w.DestCity), ("$da", w.DestArea), ("$t", w.IssuedUtc.UtcTicks),
                ("$r", w.RequestNumber), ("$j", w.OrderJson), ("$p", w.PrintTemplate));
            var inserted = cmd.ExecuteNonQuery() == 1;
            using var read = Command("SELECT * FROM waybills WHERE merchant = $m AND order_code = $o");
            Bind(read, ("$m", w.Merchant), ("$o", w.OrderCode));
            using var reader = read.ExecuteReader();
            return (reader.Read() ? ReadWaybill(reader) : null, inserted);
        }
    }

    public bool IsCancelled(string kind, string merchant, string orderCode) =>
        QueryOne("SELECT 1 FROM cancellations WHERE kind = $k AND merchant = $m AND order_code = $o", _ => true, ("$k", kind), ("$m", merchant), ("$o", orderCode));

    public bool IsNumberCancelled(string kind, string logisticCode) =>
        QueryOne("SELECT 1 FROM cancellations WHERE kind = $k AND logistic_code = $l", _ => true, ("$k", kind), ("$l", logisticCode));

    public bool AddCancellation(string kind, string merchant, string orderCode, string logisticCode, DateTimeOffset utc, string? reason)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO cancellations(kind, merchant, order_code, logistic_code, cancelled_utc, reason) VALUES($k, $m, $o, $l, $t, $r) ON CONFLICT DO NOTHING");
            Bind(cmd, ("$k", kind), ("$m", merchant), ("$o", orderCode), ("$l", logisticCode), ("$t", utc.UtcTicks), ("$r", reason));
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    public PickupRow? FindPickup(string merchant, string orderCode) =>
        QueryOne("SELECT * FROM pickups WHERE merchant = $m AND order_code = $o", ReadPickup, ("$m", merchant), ("$o", orderCode));

    public PickupRow? FindPickupByNumber(string logisticCode) =>
        QueryOne("SELECT * FROM pickups WHERE logistic_code = $l", ReadPickup, ("$l", logisticCode));

    /// <summary>Same atomic insert-or-nothing as waybills; returns false when the OrderCode (or number) already exists.</summary>
    public bool TryInsertPickup(PickupRow p)
    {
        lock (_gate)
        {
            using var cmd = Command("""
                INSERT INTO pickups(merchant, order_code, request_type, shipper_code, logistic_code, pickup_code, origin_city, origin_area,
                    dest_city, dest_area, window_start_utc, window_end_utc, booked_utc, request_number)
                VALUES($m, $o, $rt, $s, $l, $pc, $oc, $oa, $dc, $da, $ws, $we, $b, $r) ON CONFLICT DO NOTHING
                """);
            Bind(cmd, ("$m", p.Merchant), ("$o", p.OrderCode), ("$rt", p.RequestType), ("$s", p.ShipperCode), ("$l", p.LogisticCode),
                ("$pc", p.PickupCode), ("$oc", p.OriginCity), ("$oa", p.OriginArea), ("$dc", p.DestCity), ("$da", p.DestArea),
                ("$ws", p.WindowStartUtc.UtcTicks), ("$we", p.WindowEndUtc.UtcTicks), ("$b", p.BookedUtc.UtcTicks), ("$r", p.RequestNumber));
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>A number the sandbox did not issue: remember when it was first asked about; its journey hangs off that instant.</summary>
    public DateTimeOffset FirstSeen(string shipperCode, string logisticCode, DateTimeOffset nowUtc)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO tracked_numbers(shipper_code, logistic_code, first_seen_utc) VALUES($s, $l, $t) ON CONFLICT DO NOTHING");
            Bind(cmd, ("$s", shipperCode), ("$l", logisticCode), ("$t", nowUtc.UtcTicks));
            cmd.ExecuteNonQuery();
            using var read = Command("SELECT first_seen_utc FROM tracked_numbers WHERE shipper_code = $s AND logistic_code = $l");
            Bind(read, ("$s", shipperCode), ("$l", logisticCode));
            return new DateTimeOffset((long)read.ExecuteScalar()!, TimeSpan.Zero);
        }
    }

    /// <summary>A repeated subscription for the same number replaces callback and type and restarts the push stream.</summary>
    public void UpsertSubscription(string merchant, string requestType, string shipperCode, string logisticCode, string? orderCode, string? callback, DateTimeOffset nowUtc)
    {
        lock (_gate)
        {
            using var cmd = Command("""
                INSERT INTO subscriptions(merchant, request_type, shipper_code, logistic_code, order_code, callback, created_utc)
                VALUES($m, $rt, $s, $l, $o, $c, $t)
                ON CONFLICT(merchant, shipper_code, logistic_code) DO UPDATE SET
                    request_type = excluded.request_type, order_code = excluded.order_code, callback = excluded.callback,
                    pushed_count = 0, final_pushed = 0, attempts = 0, next_attempt_utc = 0
                """);
            Bind(cmd, ("$m", merchant), ("$rt", requestType), ("$s", shipperCode), ("$l", logisticCode), ("$o", orderCode), ("$c", callback), ("$t", nowUtc.UtcTicks));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Subscriptions whose final state has not been pushed yet and whose back-off (real time) has passed.</summary>
    public IReadOnlyList<SubscriptionRow> DueSubscriptions(DateTimeOffset realNowUtc, bool ignoreBackoff)
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT id, merchant, request_type, shipper_code, logistic_code, order_code, callback, pushed_count, attempts, next_attempt_utc " +
                "FROM subscriptions WHERE final_pushed = 0 AND callback IS NOT NULL AND callback <> '' AND ($ignore = 1 OR next_attempt_utc <= $now) ORDER BY id");
            Bind(cmd, ("$ignore", ignoreBackoff ? 1 : 0), ("$now", realNowUtc.UtcTicks));
            using var reader = cmd.ExecuteReader();
            var list = new List<SubscriptionRow>();
            while (reader.Read())
            {
                list.Add(new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt32(7), reader.GetInt32(8), new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero)));
            }

            return list;
        }
    }

    public void MarkPushed(long id, int pushedCount, bool final)
    {
        lock (_gate)
        {
            using var cmd = Command("UPDATE subscriptions SET pushed_count = $c, final_pushed = $f, attempts = 0, next_attempt_utc = 0 WHERE id = $id");
            Bind(cmd, ("$c", pushedCount), ("$f", final ? 1 : 0), ("$id", id));
            cmd.ExecuteNonQuery();
        }
    }

    public void MarkPushFailed(long id, int attempts, DateTimeOffset nextAttemptRealUtc)
    {
        lock (_gate)
        {
            using var cmd = Command("UPDATE subscriptions SET attempts = $a, next_attempt_utc = $n WHERE id = $id");
            Bind(cmd, ("$a", attempts), ("$n", nextAttemptRealUtc.UtcTicks), ("$id", id));
            cmd.ExecuteNonQuery();
        }
    }

    public void RecordPushAttempt(string merchant, string callback, string requestType, DateTimeOffset realUtc, int items, bool success, string? detail)
    {
        lock (_gate)
        {
            using var cmd = Command("INSERT INTO push_attempts(merchant, callback, request_type, attempted_utc, item_count, success, detail) VALUES($m, $c, $rt, $t, $n, $s, $d)");
            Bind(cmd, ("$m", merchant), ("$c", callback), ("$rt", requestType), ("$t", realUtc.UtcTicks), ("$n", items), ("$s", success ? 1 : 0), ("$d", detail));
            cmd.ExecuteNonQuery();
        }
    }

    public SandboxStats Stats()
    {
        lock (_gate)
        {
            long Scalar(string sql)
            {
                using var cmd = Command(sql);
                return (long)cmd.ExecuteScalar()!;
            }

            var calls = new SortedDictionary<string, long>(StringComparer.Ordinal);
            using (var cmd = Command("SELECT request_type, calls FROM call_counters"))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    calls[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            return new(
                Scalar("SELECT COUNT(*) FROM waybills"),
                Scalar("SELECT COUNT(*) FROM cancellations WHERE kind = 'waybill'"),
                Scalar("SELECT COUNT(*) FROM pickups"),
                Scalar("SELECT COUNT(*) FROM subscriptions"),
                Scalar("SELECT COUNT(*) FROM push_attempts WHERE success = 1"),
                Scalar("SELECT COUNT(*) FROM push_attempts WHERE success = 0"),
                calls);
        }
    }

    public void Reset()
    {
        Execute("DELETE FROM waybills; DELETE FROM cancellations; DELETE FROM pickups; DELETE FROM tracked_numbers; DELETE FROM subscriptions; " +
            "DELETE FROM push_attempts; DELETE FROM call_counters; DELETE FROM clock;");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Execute(string sql)
    {
        lock (_gate)
        {
            using var cmd = Command(sql);
            cmd.ExecuteNonQuery();
        }
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private T? QueryOne<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            using var cmd = Command(sql);
            Bind(cmd, parameters);
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? map(reader) : default;
        }
    }

    private static string? NullableString(SqliteDataReader r, string column)
    {
        var i = r.GetOrdinal(column);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static DateTimeOffset Utc(SqliteDataReader r, string column) => new(r.GetInt64(r.GetOrdinal(column)), TimeSpan.Zero);

    private static WaybillRow ReadWaybill(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("merchant")), r.GetString(r.GetOrdinal("order_code")), r.GetString(r.GetOrdinal("shipper_code")),
        r.GetString(r.GetOrdinal("logistic_code")), r.GetString(r.GetOrdinal("kdn_order_code")), r.GetString(r.GetOrdinal("origin_city")),
        NullableString(r, "origin_area"), r.GetString(r.GetOrdinal("dest_city")), NullableString(r, "dest_area"), Utc(r, "issued_utc"),
        r.GetString(r.GetOrdinal("request_number")), r.GetString(r.GetOrdinal("order_json")), r.GetString(r.GetOrdinal("print_template")));

    private static PickupRow ReadPickup(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("merchant")), r.GetString(r.GetOrdinal("order_code")), r.GetString(r.GetOrdinal("request_type")),
        r.GetString(r.GetOrdinal("shipper_code")), r.GetString(r.GetOrdinal("logistic_code")), r.GetString(r.GetOrdinal("pickup_code")),
        r.GetString(r.GetOrdinal("origin_city")), NullableString(r, "origin_area"), r.GetString(r.GetOrdinal("dest_city")),
        NullableString(r, "dest_area"), Utc(r, "window_start_utc"), Utc(r, "window_end_utc"), Utc(r, "booked_utc"),
        r.GetString(r.GetOrdinal("request_number")));
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Monitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeliveredAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DeliveryAttempts",
                table: "Shipments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DestinationProvince",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FinalAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstScanAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OriginProvince",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OutForDeliveryAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PromisedByUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReturnId",
                table: "Shipments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ServiceType",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StatusChangedAtUtc",
                table: "Shipments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WarehouseId",
                table: "Shipments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExceptionCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    TrackingNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: true),
                    TriggerAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedTo = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ResolvedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReshipRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReturnRequested = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ShipperCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    OriginProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    DestinationProvince = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ThresholdHours = table.Column<int>(type: "INTEGER", nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DueWithinHours = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsBuiltIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Milestone = table.Column<string>(type: "TEXT", maxLength: 24, nullable: true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: true),
                    ShipmentId = table.Column<long>(type: "INTEGER", nullable: true),
                    ReturnId = table.Column<long>(type: "INTEGER", nullable: true),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExceptionCaseNotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCaseNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCaseNotes_ExceptionCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "ExceptionCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 1, null, 24, true, true, null, "Medium", null, 24, "NoFirstScan", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 2, null, 24, true, true, null, "Medium", null, 48, "NoUpdate", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 3, null, 8, true, true, null, "Medium", null, 12, "OutForDeliveryStalled", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 4, null, 8, true, true, null, "High", null, 0, "FailedDelivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 5, null, 8, true, true, null, "High", null, 0, "Rejected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 6, null, 24, true, true, null, "Low", null, 48, "LockerNotCollected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 7, null, 24, true, true, null, "Medium", null, 0, "ReturningToSender", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 8, null, 8, true, true, null, "High", null, 0, "PromisedDateMissed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCaseNotes_CaseId",
                table: "ExceptionCaseNotes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_OrderId",
                table: "ExceptionCases",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ShipmentId_Type_TriggerAtUtc",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type", "TriggerAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_Status_Type",
                table: "ExceptionCases",
                columns: new[] { "Status", "Type" });

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_Status_NextAttemptAtUtc",
                table: "NotificationOutbox",
                columns: new[] { "Status", "NextAttemptAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExceptionCaseNotes");

            migrationBuilder.DropTable(
                name: "MonitoringRules");

            migrationBuilder.DropTable(
                name: "NotificationOutbox");

            migrationBuilder.DropTable(
                name: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "DeliveredAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "DeliveryAttempts",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "DestinationProvince",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "FinalAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "FirstScanAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "OriginProvince",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "OutForDeliveryAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "PromisedByUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "ReturnId",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "ServiceType",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "StatusChangedAtUtc",
                table: "Shipments");

            migrationBuilder.DropColumn(
                name: "WarehouseId",
                table: "Shipments");
        }
    }
}

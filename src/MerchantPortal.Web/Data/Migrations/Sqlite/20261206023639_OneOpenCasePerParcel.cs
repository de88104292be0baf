using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OneOpenCasePerParcel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases");

            migrationBuilder.AddColumn<bool>(
                name: "CustomerVisible",
                table: "ExceptionCases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "LateCause",
                table: "ExceptionCases",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "OrderValue",
                table: "ExceptionCases",
                type: "TEXT",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionCode",
                table: "ExceptionCases",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UrgentAtUtc",
                table: "ExceptionCases",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[] { 11, null, 8, true, true, null, "Medium", null, 0, "WillMissPromise", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_Status_UrgentAtUtc",
                table: "ExceptionCases",
                columns: new[] { "Status", "UrgentAtUtc" });

            // One open case per parcel (ADR 0020): where a parcel has several, the newest stays open and the others
            // are resolved as merged into it, before the unique index is built.
            migrationBuilder.Sql("UPDATE \"ExceptionCases\" SET \"Status\" = 'Resolved', \"ResolvedAtUtc\" = \"OpenedAtUtc\", \"ResolvedBy\" = 'system', \"Resolution\" = 'Merged into the parcel''s open case' "
                + "WHERE \"Status\" <> 'Resolved' AND \"ShipmentId\" IS NOT NULL AND EXISTS (SELECT 1 FROM \"ExceptionCases\" k "
                + "WHERE k.\"ShipmentId\" = \"ExceptionCases\".\"ShipmentId\" AND k.\"Status\" <> 'Resolved' AND k.\"Id\" > \"ExceptionCases\".\"Id\");");
            // Existing cases: the order value and visibility by type; their urgency is their due time (no bonus).
            migrationBuilder.Sql("UPDATE \"ExceptionCases\" SET \"UrgentAtUtc\" = \"DueAtUtc\", "
                + "\"OrderValue\" = (SELECT o.\"TotalAmount\" FROM \"Orders\" o WHERE o.\"Id\" = \"ExceptionCases\".\"OrderId\");");
            migrationBuilder.Sql("UPDATE \"ExceptionCases\" SET \"CustomerVisible\" = 1 WHERE \"Type\" IN "
                + "('FailedDelivery', 'Rejected', 'ReturningToSender', 'LockerNotCollected', 'OutForDeliveryStalled', 'PromisedDateMissed', 'PickupNoShow');");

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_OpenParcel",
                table: "ExceptionCases",
                column: "ShipmentId",
                unique: true,
                filter: "[Status] <> 'Resolved' AND [ShipmentId] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ExceptionCases_Status_UrgentAtUtc",
                table: "ExceptionCases");

            migrationBuilder.DropIndex(
                name: "UX_ExceptionCases_OpenParcel",
                table: "ExceptionCases");

            migrationBuilder.DeleteData(
                table: "MonitoringRules",
                keyColumn: "Id",
                keyValue: 11);

            migrationBuilder.DropColumn(
                name: "CustomerVisible",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "LateCause",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "OrderValue",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "ResolutionCode",
                table: "ExceptionCases");

            migrationBuilder.DropColumn(
                name: "UrgentAtUtc",
                table: "ExceptionCases");

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "[Status] <> 'Resolved' AND [ShipmentId] IS NOT NULL");
        }
    }
}

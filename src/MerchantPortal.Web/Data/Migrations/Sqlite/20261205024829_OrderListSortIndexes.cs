using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderListSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Orders_CarrierCode_Id",
                table: "Orders",
                columns: new[] { "CarrierCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PaidAtUtc_Id",
                table: "Orders",
                columns: new[] { "PaidAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_Id",
                table: "Orders",
                columns: new[] { "Province", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_Id",
                table: "Orders",
                columns: new[] { "Status", "Id" });

            // SQLite keeps decimals as text, which sorts "100" before "20", and EF orders them through a collating
            // function no index can serve. The amount sort (OrderKeyset) orders by CAST(TotalAmount AS REAL) on
            // SQLite, so the index is on that expression; the name is the model's, so a later migration finds it.
            migrationBuilder.Sql("CREATE INDEX \"IX_Orders_TotalAmount_Id\" ON \"Orders\" (CAST(\"TotalAmount\" AS REAL), \"Id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_CarrierCode_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_PaidAtUtc_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_TotalAmount_Id",
                table: "Orders");
        }
    }
}

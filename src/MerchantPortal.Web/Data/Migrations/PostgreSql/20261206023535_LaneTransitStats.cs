using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class LaneTransitStats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LaneTransitStats",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LaneKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Level = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Stage = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Sample = table.Column<int>(type: "integer", nullable: false),
                    QuantileHours = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RefreshedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LaneTransitStats", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LaneTransitStats_LaneKey",
                table: "LaneTransitStats",
                column: "LaneKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LaneTransitStats");
        }
    }
}

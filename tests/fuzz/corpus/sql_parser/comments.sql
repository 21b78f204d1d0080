-- a script
/* with block
 comments */ SELECT a -- trailing
 FROM t; ;;
